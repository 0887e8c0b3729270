// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-PL7QAIM4.mjs";import"./chunk-WPITBNGF.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
