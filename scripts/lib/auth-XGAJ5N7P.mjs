// Generated from src/ by `npm run build`. Do not edit by hand.
import{createSharedAuth,openAuthSession,refreshOnly,smokeSummary}from"./chunk-HMFNCOXJ.mjs";import"./chunk-Q3QZ5WZJ.mjs";import"./chunk-MSWTRBTZ.mjs";import"./chunk-KCTVQKYC.mjs";export{createSharedAuth,openAuthSession,refreshOnly,smokeSummary};
