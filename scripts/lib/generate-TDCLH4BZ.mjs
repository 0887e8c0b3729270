// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-3NGFD5GO.mjs";import"./chunk-VICVQICB.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-CQTAIUIN.mjs";import"./chunk-SKZCLQUI.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
