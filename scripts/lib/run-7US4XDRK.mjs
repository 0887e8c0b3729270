// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-6HNNDAW4.mjs";import"./chunk-GUB7NYP4.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
