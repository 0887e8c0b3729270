// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-BNHCFONC.mjs";import"./chunk-33HC4ZJO.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-GXISPWIT.mjs";import"./chunk-ZKJMXCEN.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
