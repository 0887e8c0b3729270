// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-ZLEIFKXV.mjs";import"./chunk-IKI36PQL.mjs";import"./chunk-SXN54CDZ.mjs";import"./chunk-47MDZFPB.mjs";import"./chunk-UGSACFRR.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
