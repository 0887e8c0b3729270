// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-5EXZE4ZK.mjs";import"./chunk-KTV3564N.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-OVQ4JLKN.mjs";import"./chunk-TXTODEGR.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
