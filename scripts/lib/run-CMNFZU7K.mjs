// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-T7ITHQIW.mjs";import"./chunk-25YMSZFA.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
