// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-VPHSKPGK.mjs";import"./chunk-6VHQOBRM.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-UOOMBPXK.mjs";import"./chunk-LBVXBG7O.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
