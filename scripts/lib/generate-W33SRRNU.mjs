// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-RLSG7BOZ.mjs";import"./chunk-3L3KMOQH.mjs";import"./chunk-Q3OCOOTR.mjs";import"./chunk-Z7VM6OGS.mjs";import"./chunk-DZVBC2R7.mjs";import"./chunk-6HNNDAW4.mjs";import"./chunk-GUB7NYP4.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
