// Generated from src/ by `npm run build`. Do not edit by hand.
function sleep(ms,signal){return new Promise((resolve,reject)=>{if(signal.aborted){reject(signal.reason);return}let onAbort=()=>{clearTimeout(timer),reject(signal.reason)},timer=setTimeout(()=>{signal.removeEventListener("abort",onAbort),resolve()},ms);signal.addEventListener("abort",onAbort,{once:!0})})}export{sleep};
