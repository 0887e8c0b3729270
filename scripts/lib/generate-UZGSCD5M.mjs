// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-QGN7TOKS.mjs";import"./chunk-VY6BJYGQ.mjs";import"./chunk-Q3OCOOTR.mjs";import"./chunk-AA3HHULJ.mjs";import"./chunk-DZVBC2R7.mjs";import"./chunk-SJMYD3FK.mjs";import"./chunk-GILPPX7I.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
