// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-3EP53PJJ.mjs";import"./chunk-MUCTFH2H.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
