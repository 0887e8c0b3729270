// Generated from src/ by `npm run build`. Do not edit by hand.
var VERSION="0.2.0";export{VERSION};
