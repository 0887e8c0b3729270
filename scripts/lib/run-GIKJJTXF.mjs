// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-GE2TSWWD.mjs";import"./chunk-EYMFVZGF.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
