// The baseline: a deliberately naive streaming client, the way a quick implementation reads SSE.
// Decoded text is appended to one string and every chunk re-scans it for line ends, which
// flattens the growing string each time (quadratic in the line length); every image seen is
// decoded, and the copies repeated in `response.completed` are decoded and written again.
// Usage: node bench/naive-client.mjs --base-url URL --auth FILE --out-dir DIR [--save-partials]
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    "base-url": { type: "string" },
    auth: { type: "string" },
    "out-dir": { type: "string" },
    "save-partials": { type: "boolean", default: false },
  },
});
const token = JSON.parse(readFileSync(values.auth, "utf8")).tokens.access_token;
const outDir = values["out-dir"];
mkdirSync(outDir, { recursive: true });

function save(name, b64) {
  writeFileSync(join(outDir, name), Buffer.from(b64, "base64"));
}

function handle(line) {
  if (!line.startsWith("data: ") || line === "data: [DONE]") return;
  const event = JSON.parse(line.slice(6));
  if (event.type === "response.image_generation_call.partial_image" && values["save-partials"]) {
    save(`${event.item_id}-partial-${event.partial_image_index}.png`, event.partial_image_b64);
  } else if (event.type === "response.output_item.done" && event.item.type === "image_generation_call") {
    save(`${event.item.id}.png`, event.item.result);
  } else if (event.type === "response.completed") {
    for (const item of event.response?.output ?? []) if (item.result) save(`${item.id}.png`, item.result);
  }
}

const body = JSON.stringify({ model: "gpt-5.5", stream: true, input: [{ role: "user", content: [{ type: "input_text", text: "bench" }] }] });
const response = await new Promise((resolve, reject) => {
  const request = http.request(`${values["base-url"]}/responses`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "text/event-stream" },
  });
  request.on("response", resolve);
  request.on("error", reject);
  request.end(body);
});
const decoder = new TextDecoder();
let buffer = "";
for await (const chunk of response) {
  buffer += decoder.decode(chunk, { stream: true });
  let end;
  while ((end = buffer.indexOf("\n")) !== -1) {
    handle(buffer.slice(0, end).replace(/\r$/, ""));
    buffer = buffer.slice(end + 1);
  }
}
