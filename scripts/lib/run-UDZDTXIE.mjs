// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-VYJD2ZNV.mjs";import"./chunk-FANXHRBR.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
