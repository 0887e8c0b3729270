// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-YLEIZ5GO.mjs";import"./chunk-JAP7P6N6.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
