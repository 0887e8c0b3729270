// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-DWNGC5NF.mjs";import"./chunk-IXGSCDQI.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-NJXUFGJP.mjs";import"./chunk-HDIA2F53.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
