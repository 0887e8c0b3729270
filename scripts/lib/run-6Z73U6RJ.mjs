// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-556BIAPS.mjs";import"./chunk-NRJPTJT5.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
