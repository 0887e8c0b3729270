// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-OFPK3LMI.mjs";import"./chunk-A4DM7SFS.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
