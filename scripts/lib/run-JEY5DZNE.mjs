// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-47MDZFPB.mjs";import"./chunk-UGSACFRR.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
