// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-5N7GNM36.mjs";import"./chunk-WC5FLZWL.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
