// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-BBZ2RY2Y.mjs";import"./chunk-4DCAOJPE.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-2O5E7IVJ.mjs";import"./chunk-IYXLJCTT.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
