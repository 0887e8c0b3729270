// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-CXW5XYUX.mjs";import"./chunk-VZIOZFBR.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-PSIBCFZC.mjs";import"./chunk-GUQMZZ7A.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
