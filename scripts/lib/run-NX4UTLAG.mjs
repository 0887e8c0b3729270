// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-GXISPWIT.mjs";import"./chunk-ZKJMXCEN.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
