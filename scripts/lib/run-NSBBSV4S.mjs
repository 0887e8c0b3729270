// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-UOOMBPXK.mjs";import"./chunk-LBVXBG7O.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
