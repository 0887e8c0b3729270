// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-SYGJQOSW.mjs";import"./chunk-UZAHRJTQ.mjs";import"./chunk-Q3OCOOTR.mjs";import"./chunk-FXYMO2WH.mjs";import"./chunk-DZVBC2R7.mjs";import"./chunk-BAI7FRSC.mjs";import"./chunk-X34V7NKH.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
