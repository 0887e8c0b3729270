// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-LORSLCNC.mjs";import"./chunk-MUONOXV5.mjs";import"./chunk-Q3OCOOTR.mjs";import"./chunk-Z7ZOJZFA.mjs";import"./chunk-PRKD3U6A.mjs";import"./chunk-T7ITHQIW.mjs";import"./chunk-25YMSZFA.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
