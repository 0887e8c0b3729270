// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-YF4JIGGY.mjs";import"./chunk-76JL5ALZ.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-6CK5ZLF6.mjs";import"./chunk-TLW5RUXQ.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
