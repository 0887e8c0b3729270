// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-PUZAG5BT.mjs";import"./chunk-X6GAJF4F.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-3WUCUZM2.mjs";import"./chunk-AUKPRZOA.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
