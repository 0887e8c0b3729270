// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-6T7THKVF.mjs";import"./chunk-QEAOR7TQ.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
