// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-WDCA2DXE.mjs";import"./chunk-WWOF3V4T.mjs";import"./chunk-Q3OCOOTR.mjs";import"./chunk-B7ZQWUNK.mjs";import"./chunk-DZVBC2R7.mjs";import"./chunk-ANOLEJJG.mjs";import"./chunk-DFJZMRI7.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
