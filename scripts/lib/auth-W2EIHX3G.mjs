// Generated from src/ by `npm run build`. Do not edit by hand.
import{createSharedAuth,openAuthSession,refreshOnly,smokeSummary}from"./chunk-EFRY4RSP.mjs";import"./chunk-ICO3TVWA.mjs";import"./chunk-3CXMYTLO.mjs";import"./chunk-WO3ADRG5.mjs";import"./chunk-HISPNTZC.mjs";import"./chunk-KCTVQKYC.mjs";export{createSharedAuth,openAuthSession,refreshOnly,smokeSummary};
