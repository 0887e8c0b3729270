// Generated from src/ by `npm run build`. Do not edit by hand.
import{runCommandLine}from"./chunk-6CK5ZLF6.mjs";import"./chunk-TLW5RUXQ.mjs";import"./chunk-QSBRJABU.mjs";export{runCommandLine};
