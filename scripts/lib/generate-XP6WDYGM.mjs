// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-LPIFLXZ6.mjs";import"./chunk-F776DSCK.mjs";import"./chunk-Q3OCOOTR.mjs";import"./chunk-STM5I2JT.mjs";import"./chunk-DZVBC2R7.mjs";import"./chunk-5N7GNM36.mjs";import"./chunk-WC5FLZWL.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
