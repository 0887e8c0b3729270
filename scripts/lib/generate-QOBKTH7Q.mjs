// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-X6PNWAXQ.mjs";import"./chunk-VX5TY4PZ.mjs";import"./chunk-SXN54CDZ.mjs";import"./chunk-QZEDBORU.mjs";import"./chunk-MUTKNVT5.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
