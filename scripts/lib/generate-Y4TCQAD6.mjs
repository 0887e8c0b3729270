// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-U355IT77.mjs";import"./chunk-4HHTUMN2.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-54VDJA6Q.mjs";import"./chunk-CS2CJZ7X.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
