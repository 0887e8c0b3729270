// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-6VBMBVFF.mjs";import"./chunk-ACIORSAS.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-VYJD2ZNV.mjs";import"./chunk-FANXHRBR.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
