// Generated from src/ by `npm run build`. Do not edit by hand.
import{_enum,array,nullable,number,object,optional,string}from"./chunk-4VXXMPY5.mjs";import{renameWithRetry}from"./chunk-VYJD2ZNV.mjs";import{randomBytes}from"node:crypto";import{open,rm}from"node:fs/promises";import{join}from"node:path";import{basename,sep}from"node:path";var STYLE=`
:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.4}
body{margin:0;padding:16px;background:Canvas;color:CanvasText}
header{margin:0 0 16px}
h1{font-size:1.25rem;margin:0 0 4px;overflow-wrap:anywhere}
header p{margin:0;opacity:.8}
main{display:grid;gap:16px;grid-template-columns:repeat(auto-fill,minmax(min(100%,240px),1fr))}
article{border:1px solid #8886;border-radius:8px;overflow:hidden;display:flex;flex-direction:column;min-width:0}
article.failed{border-color:#d33}
.thumb{display:block;background:repeating-conic-gradient(#8883 0 25%,transparent 0 50%) 0 0/16px 16px}
.thumb img{display:block;width:100%;height:auto;max-height:360px;object-fit:contain}
.prompt{margin:8px 12px 4px;white-space:pre-wrap;overflow-wrap:anywhere}
.error{margin:8px 12px 0;padding:8px;border-radius:4px;background:#d331;color:#b00;white-space:pre-wrap;overflow-wrap:anywhere}
@media (prefers-color-scheme:dark){.error{color:#f88}}
dl{display:grid;grid-template-columns:auto 1fr;gap:2px 8px;margin:4px 12px 12px;font-size:.8rem}
dt{opacity:.7}
dd{margin:0;overflow-wrap:anywhere;font-variant-numeric:tabular-nums}
`,CSP="default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'";function escapeHtml(text){return text.replace(/[&<>"']/g,char=>`&#${char.charCodeAt(0)};`)}function href(dir,path){let prefix=dir.endsWith(sep)?dir:`${dir}${sep}`;return(path.startsWith(prefix)?path.slice(prefix.length).split(sep):[basename(path)]).map(encodeURIComponent).join("/")}function localTime(iso){let date=new Date(iso);if(Number.isNaN(date.getTime()))return iso;let pad=value=>String(value).padStart(2,"0");return`${date.getFullYear()}-${pad(date.getMonth()+1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`}function details(record,image){return`<dl>${[["size",image?.size],["quality",image?.quality],["model",record.model],["time",`${localTime(record.finished_at)} (${(record.elapsed_ms/1e3).toFixed(1)} s)`],["request",image?.request_id??record.request_ids[0]],["job",record.id]].filter(([,value])=>value!=null&&value!=="").map(([name,value])=>`<dt>${name}</dt><dd>${escapeHtml(value)}</dd>`).join("")}</dl>`}function card(dir,record,image){let[width,height]=(image?.size??"").split("x"),dimensions=width&&height?` width="${escapeHtml(width)}" height="${escapeHtml(height)}"`:"",link=image?href(dir,image.path):"",thumb=image?`<a class="thumb" href="${escapeHtml(link)}"><img src="${escapeHtml(link)}" loading="lazy" decoding="async" alt=""${dimensions}></a>`:"",error=record.error?`<p class="error"><strong>failed</strong> (${escapeHtml(record.error.code)}): ${escapeHtml(record.error.message)}</p>`:"";return`<article class="${record.status}" id="job-${escapeHtml(record.id)}">${thumb}${error}<p class="prompt">${escapeHtml(record.prompt)}</p>${details(record,image)}</article>`}function*galleryParts(page){let records=[...page.records].sort((a,b)=>(a.line??1/0)-(b.line??1/0)),done=records.filter(record=>record.status==="done").length,images=records.reduce((sum,record)=>sum+record.images.length,0),title=`codex-imagen batch: ${basename(page.dir)}`,summary=`${images} image${images===1?"":"s"} \xB7 ${done} done \xB7 ${records.length-done} failed \xB7 updated ${localTime((page.now??new Date).toISOString())}`;yield`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(summary)}</p></header>
<main>
`;for(let record of records){record.images.length===0&&(yield`${card(page.dir,record,void 0)}
`);for(let image of record.images)yield`${card(page.dir,record,image)}
`}yield`</main>
</body>
</html>
`}var GALLERY_NAME="index.html",MIN_INTERVAL_MS=500,WRITE_TIME_FACTOR=20,WRITE_CHUNK=65536;function galleryPath(dir){return join(dir,GALLERY_NAME)}async function writeGallery(dir,records){let target=galleryPath(dir),temp=join(dir,`.codex-imagen-${randomBytes(8).toString("hex")}.tmp`);try{let file=await open(temp,"wx");try{let chunk="";for(let part of galleryParts({dir,records}))chunk+=part,chunk.length>=WRITE_CHUNK&&(await file.write(chunk),chunk="");await file.write(chunk)}finally{await file.close()}await renameWithRetry(temp,target)}finally{await rm(temp,{force:!0})}return target}var GalleryUpdates=class{constructor(dir,records,onError){this.dir=dir;this.records=records;this.onError=onError}dir;records;onError;#timer;#writing;#dirty=!1;#lastWrite=0;#lastWriteMs=0;request(){this.#dirty=!0,!(this.#timer!==void 0||this.#writing!==void 0)&&(this.#timer=setTimeout(()=>{this.#timer=void 0,this.#write()},Math.max(0,this.#lastWrite+Math.max(MIN_INTERVAL_MS,WRITE_TIME_FACTOR*this.#lastWriteMs)-Date.now())))}#write(){this.#dirty=!1;let started=Date.now();this.#writing=writeGallery(this.dir,this.records()).then(()=>{},this.onError).finally(()=>{this.#writing=void 0,this.#lastWrite=Date.now(),this.#lastWriteMs=this.#lastWrite-started,this.#dirty&&this.request()})}async flush(){return clearTimeout(this.#timer),this.#timer=void 0,await this.#writing,clearTimeout(this.#timer),this.#timer=void 0,this.#dirty=!1,writeGallery(this.dir,this.records())}};import{mkdir,open as open2,readFile}from"node:fs/promises";import{join as join2}from"node:path";var MANIFEST_NAME="manifest.jsonl",imageSchema=object({path:string(),sha256:string(),bytes:number(),size:nullable(string()),quality:nullable(string()),request_id:nullable(string())}),recordSchema=object({id:string(),line:optional(number()),status:_enum(["done","failed"]),prompt:string(),model:nullable(string()),images:array(imageSchema),error:nullable(object({code:string(),message:string()})),request_ids:array(string()),elapsed_ms:number(),finished_at:string()});function manifestPath(dir){return join2(dir,MANIFEST_NAME)}async function readManifest(dir){let records=new Map,ignoredLines=[],text;try{text=await readFile(manifestPath(dir),"utf8")}catch(error){if(error.code==="ENOENT")return{records,ignoredLines};throw error}return text.split(`
`).forEach((line,index)=>{if(line.trim()==="")return;let parsed;try{parsed=recordSchema.safeParse(JSON.parse(line))}catch{ignoredLines.push(index+1);return}parsed.success?records.set(parsed.data.id,parsed.data):ignoredLines.push(index+1)}),{records,ignoredLines}}var ManifestWriter=class _ManifestWriter{constructor(handle){this.handle=handle}handle;#pending=[];#draining;static async open(dir){await mkdir(dir,{recursive:!0});let handle=await open2(manifestPath(dir),"a+"),{size}=await handle.stat();if(size>0){let last=Buffer.alloc(1);await handle.read(last,0,1,size-1),last[0]!==10&&await handle.write(`
`)}return new _ManifestWriter(handle)}append(record){return new Promise((resolve,reject)=>{this.#pending.push({line:`${JSON.stringify(record)}
`,resolve,reject}),this.#draining??=this.#drain()})}async#drain(){for(;this.#pending.length>0;){let batch=this.#pending.splice(0);try{await this.handle.write(batch.map(entry=>entry.line).join("")),await this.handle.datasync();for(let entry of batch)entry.resolve()}catch(error){for(let entry of batch)entry.reject(error)}}this.#draining=void 0}async close(){await this.#draining,await this.handle.close()}};export{galleryPath,writeGallery,GalleryUpdates,manifestPath,readManifest,ManifestWriter};
