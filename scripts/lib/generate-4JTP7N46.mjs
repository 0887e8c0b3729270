// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-CVK3K2A2.mjs";import"./chunk-Z2DCFVUA.mjs";import"./chunk-Q3OCOOTR.mjs";import"./chunk-URXGWMPZ.mjs";import"./chunk-DZVBC2R7.mjs";import"./chunk-AU3FSORO.mjs";import"./chunk-CFFGZIA2.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
