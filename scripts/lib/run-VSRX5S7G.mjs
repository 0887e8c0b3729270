// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-TXGVJH4D.mjs";import"./chunk-TGXQQGRS.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
