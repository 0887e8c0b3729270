// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-HWNA6F6Q.mjs";import"./chunk-RKCLI2AO.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
