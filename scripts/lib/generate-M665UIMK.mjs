// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-ANX7LWSK.mjs";import"./chunk-YB5ERP7Y.mjs";import"./chunk-Q3OCOOTR.mjs";import"./chunk-SYRC7NNF.mjs";import"./chunk-PRKD3U6A.mjs";import"./chunk-ROR7E2RI.mjs";import"./chunk-MOENXL3Q.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
