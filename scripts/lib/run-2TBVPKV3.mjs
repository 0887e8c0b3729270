// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-H5KHNVAI.mjs";import"./chunk-YBTLKVQT.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
