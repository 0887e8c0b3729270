// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-LIOGXTW6.mjs";import"./chunk-KLCJXSVW.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
