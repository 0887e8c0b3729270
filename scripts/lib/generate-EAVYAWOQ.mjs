// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-OSPRCGCV.mjs";import"./chunk-X5W7DKYC.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-GE2TSWWD.mjs";import"./chunk-EYMFVZGF.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
