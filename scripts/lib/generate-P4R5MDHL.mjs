// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-XLF63LKC.mjs";import"./chunk-NAN4QVI7.mjs";import"./chunk-Q3OCOOTR.mjs";import"./chunk-RVDC3YZK.mjs";import"./chunk-DZVBC2R7.mjs";import"./chunk-VOPFGDY5.mjs";import"./chunk-45C3VCWF.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
