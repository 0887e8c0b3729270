// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-ANOLEJJG.mjs";import"./chunk-DFJZMRI7.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
