// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-54VDJA6Q.mjs";import"./chunk-CS2CJZ7X.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
