// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-SJMYD3FK.mjs";import"./chunk-GILPPX7I.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
