// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-62I2BAFE.mjs";import"./chunk-LLKD6BBI.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
