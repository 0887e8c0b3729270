// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-ZGYTMLJB.mjs";import"./chunk-ZHVSJWJM.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-4OJEIDCF.mjs";import"./chunk-HP7AN644.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
