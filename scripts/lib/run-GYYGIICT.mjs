// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-XLGKF6JQ.mjs";import"./chunk-AHO7FF4P.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
