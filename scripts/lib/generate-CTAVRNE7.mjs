// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-IUZYGXAY.mjs";import"./chunk-35BJF5GO.mjs";import"./chunk-Q3OCOOTR.mjs";import"./chunk-GLUG4XX5.mjs";import"./chunk-DZVBC2R7.mjs";import"./chunk-OFPK3LMI.mjs";import"./chunk-A4DM7SFS.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
