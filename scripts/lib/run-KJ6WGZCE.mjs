// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-UXV2UFGO.mjs";import"./chunk-EQUNH243.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
