// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-OVQ4JLKN.mjs";import"./chunk-TXTODEGR.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
