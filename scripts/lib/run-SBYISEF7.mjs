// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-MJHR47N7.mjs";import"./chunk-5BNDILSN.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
