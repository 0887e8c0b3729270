// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-DXBL5SOJ.mjs";import"./chunk-LU3PQIG6.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-62I2BAFE.mjs";import"./chunk-LLKD6BBI.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
