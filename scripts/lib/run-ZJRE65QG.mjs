// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-BAI7FRSC.mjs";import"./chunk-X34V7NKH.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
