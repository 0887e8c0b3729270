// Generated from src/ by `npm run build`. Do not edit by hand.
import{createSharedAuth,openAuthSession,refreshOnly,smokeSummary}from"./chunk-AZAJJWYA.mjs";import"./chunk-XRESDCNB.mjs";import"./chunk-3CXMYTLO.mjs";import"./chunk-WO3ADRG5.mjs";import"./chunk-XF4JQ56E.mjs";import"./chunk-QSBRJABU.mjs";export{createSharedAuth,openAuthSession,refreshOnly,smokeSummary};
