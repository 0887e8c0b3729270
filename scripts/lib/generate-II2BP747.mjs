// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-GSIVA7JQ.mjs";import"./chunk-FWAGFXXB.mjs";import"./chunk-5ZBOZYWR.mjs";import"./chunk-LWSQR6JZ.mjs";import"./chunk-O7SKLL4Y.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
