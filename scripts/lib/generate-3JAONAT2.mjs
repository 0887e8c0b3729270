// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-SR7DDOBM.mjs";import"./chunk-RBYS7S53.mjs";import"./chunk-Q3OCOOTR.mjs";import"./chunk-AZDQULH4.mjs";import"./chunk-DZVBC2R7.mjs";import"./chunk-EKZDYQCG.mjs";import"./chunk-FTVJ46DW.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
