// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-274VKP6K.mjs";import"./chunk-WS2A3XVX.mjs";import"./chunk-SXN54CDZ.mjs";import"./chunk-6T7THKVF.mjs";import"./chunk-QEAOR7TQ.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
