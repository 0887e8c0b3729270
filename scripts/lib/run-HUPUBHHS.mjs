// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-PSIBCFZC.mjs";import"./chunk-GUQMZZ7A.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
