// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-AU3FSORO.mjs";import"./chunk-CFFGZIA2.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
