// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-7SJPGQ7I.mjs";import"./chunk-MGTJYZFU.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-XLGKF6JQ.mjs";import"./chunk-AHO7FF4P.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
