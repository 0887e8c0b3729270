// Generated from src/ by `npm run build`. Do not edit by hand.
var RESULT_WARNING_CODES=["size_mismatch","quality_mismatch","format_mismatch"];export{RESULT_WARNING_CODES};
