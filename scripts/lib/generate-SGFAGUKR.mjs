// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-N7N2OYYO.mjs";import"./chunk-QZVDVTFA.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-PL7QAIM4.mjs";import"./chunk-WPITBNGF.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
