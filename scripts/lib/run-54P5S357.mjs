// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-NJXUFGJP.mjs";import"./chunk-HDIA2F53.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
