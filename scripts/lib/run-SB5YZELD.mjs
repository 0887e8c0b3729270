// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-VOPFGDY5.mjs";import"./chunk-45C3VCWF.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
