// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-QZEDBORU.mjs";import"./chunk-MUTKNVT5.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
