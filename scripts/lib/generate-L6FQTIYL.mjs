// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-CTS66WXV.mjs";import"./chunk-OSZ5OSPL.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-TXGVJH4D.mjs";import"./chunk-TGXQQGRS.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
