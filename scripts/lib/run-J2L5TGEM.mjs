// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-ROR7E2RI.mjs";import"./chunk-MOENXL3Q.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
