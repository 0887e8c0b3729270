// Generated from src/ by `npm run build`. Do not edit by hand.
function writeStdout(text){return new Promise(resolve=>{text===""?resolve():process.stdout.write(text,()=>resolve())})}function formatJson(value){return`${JSON.stringify(value,null,2)}
`}function formatPaths(result){return result.images.filter(image=>!image.partial).map(image=>`${image.path}
`).join("")}function formatSummary(summary){return Object.entries(summary).filter(([key])=>key!=="warnings").map(([key,value])=>`${key}: ${value==null?"-":String(value)}
`).join("")}export{writeStdout,formatJson,formatPaths,formatSummary};
