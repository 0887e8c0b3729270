// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-YOTM5OAP.mjs";import"./chunk-D4XFBTFD.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-556BIAPS.mjs";import"./chunk-NRJPTJT5.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
