// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-UT66EOJ3.mjs";import"./chunk-XZ4KRHRG.mjs";import"./chunk-Q3OCOOTR.mjs";import"./chunk-RKIIXBTM.mjs";import"./chunk-DZVBC2R7.mjs";import"./chunk-H5KHNVAI.mjs";import"./chunk-YBTLKVQT.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
