// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-EKZDYQCG.mjs";import"./chunk-FTVJ46DW.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
