// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-BW4WXUPX.mjs";import"./chunk-XNNLLWHF.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
