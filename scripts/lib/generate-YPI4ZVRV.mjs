// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-MC3SBLWI.mjs";import"./chunk-5QU5JATJ.mjs";import"./chunk-Q3OCOOTR.mjs";import"./chunk-37NCAOVD.mjs";import"./chunk-DZVBC2R7.mjs";import"./chunk-SD4VPXOC.mjs";import"./chunk-DQ6WJULJ.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
