// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-BLNAJZZ3.mjs";import"./chunk-DALYLM5G.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
