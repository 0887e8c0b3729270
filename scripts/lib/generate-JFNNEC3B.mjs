// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-MGNBQ744.mjs";import"./chunk-FJCUF7DQ.mjs";import"./chunk-Q3OCOOTR.mjs";import"./chunk-A3GLQNGK.mjs";import"./chunk-DZVBC2R7.mjs";import"./chunk-UXV2UFGO.mjs";import"./chunk-EQUNH243.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
