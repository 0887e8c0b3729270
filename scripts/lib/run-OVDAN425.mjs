// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-4OJEIDCF.mjs";import"./chunk-HP7AN644.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
