// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-3WUCUZM2.mjs";import"./chunk-AUKPRZOA.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
