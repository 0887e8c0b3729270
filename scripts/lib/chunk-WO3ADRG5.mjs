// Generated from src/ by `npm run build`. Do not edit by hand.
function nonEmpty(value){return value===void 0||value.trim()===""?void 0:value}function envValue(env,name){return nonEmpty(env[name])}export{nonEmpty,envValue};
