// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-OPQRJRCL.mjs";import"./chunk-XGYZXGH6.mjs";import"./chunk-Q3OCOOTR.mjs";import"./chunk-I373RAYX.mjs";import"./chunk-5ZBOZYWR.mjs";import"./chunk-IXLUEVF4.mjs";import"./chunk-23PTKKES.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
