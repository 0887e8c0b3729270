// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-QRWHXTZW.mjs";import"./chunk-PWSWSZRV.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-3EP53PJJ.mjs";import"./chunk-MUCTFH2H.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
