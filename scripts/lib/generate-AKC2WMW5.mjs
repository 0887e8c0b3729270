// Generated from src/ by `npm run build`. Do not edit by hand.
import{RunFailure,runGeneration}from"./chunk-GC4CR5RB.mjs";import"./chunk-4GYSYQY4.mjs";import"./chunk-ZMJBO3OY.mjs";import"./chunk-HMFNCOXJ.mjs";import"./chunk-Q3QZ5WZJ.mjs";import"./chunk-N7PADFRT.mjs";import"./chunk-HZAXXET7.mjs";import"./chunk-MSWTRBTZ.mjs";import"./chunk-KCTVQKYC.mjs";export{RunFailure,runGeneration};
