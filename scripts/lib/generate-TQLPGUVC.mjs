// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-CS2QJ6TG.mjs";import"./chunk-WTZ6VTPN.mjs";import"./chunk-Q3OCOOTR.mjs";import"./chunk-JBFHQXCW.mjs";import"./chunk-4VXXMPY5.mjs";import"./chunk-BW4WXUPX.mjs";import"./chunk-XNNLLWHF.mjs";import"./chunk-QSBRJABU.mjs";export{RunFailure,runGeneration};
