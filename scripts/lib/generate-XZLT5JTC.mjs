// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-ECNLRCBV.mjs";import"./chunk-7YHPHDGI.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-MJHR47N7.mjs";import"./chunk-5BNDILSN.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
