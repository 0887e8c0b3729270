// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-YCFOW32K.mjs";import"./chunk-7HCZCAGF.mjs";import"./chunk-Q3OCOOTR.mjs";import"./chunk-KEFOY7ON.mjs";import"./chunk-DZVBC2R7.mjs";import"./chunk-YLEIZ5GO.mjs";import"./chunk-JAP7P6N6.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
