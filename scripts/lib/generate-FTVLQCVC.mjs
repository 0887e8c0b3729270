// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-QGOUVAOH.mjs";import"./chunk-F3YV5LIC.mjs";import"./chunk-Q3OCOOTR.mjs";import"./chunk-O432AJIQ.mjs";import"./chunk-DZVBC2R7.mjs";import"./chunk-LIOGXTW6.mjs";import"./chunk-KLCJXSVW.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
