// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-LFKQYYX3.mjs";import"./chunk-Z6KEZ25K.mjs";import"./chunk-Q3OCOOTR.mjs";import"./chunk-N6QPTB4J.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-BLNAJZZ3.mjs";import"./chunk-DALYLM5G.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
