// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-IXLUEVF4.mjs";import"./chunk-23PTKKES.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
