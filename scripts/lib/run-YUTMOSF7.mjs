// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-2O5E7IVJ.mjs";import"./chunk-IYXLJCTT.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
