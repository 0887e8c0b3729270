// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-LWSQR6JZ.mjs";import"./chunk-O7SKLL4Y.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
