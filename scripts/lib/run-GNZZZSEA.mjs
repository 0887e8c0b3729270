// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-CQTAIUIN.mjs";import"./chunk-SKZCLQUI.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
