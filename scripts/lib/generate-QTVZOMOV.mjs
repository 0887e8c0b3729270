// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-E6ZGKDBF.mjs";import"./chunk-JWYWQTAZ.mjs";import"./chunk-Q3OCOOTR.mjs";import"./chunk-736S5DT6.mjs";import"./chunk-DZVBC2R7.mjs";import"./chunk-HWNA6F6Q.mjs";import"./chunk-RKCLI2AO.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
