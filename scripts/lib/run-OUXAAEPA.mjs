// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-SD4VPXOC.mjs";import"./chunk-DQ6WJULJ.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
