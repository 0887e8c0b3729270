import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { UsageError } from "../../src/errors.js";
import { loadReferences } from "../../src/images/refs.js";
import { startHostileServer, type HostileServer } from "../support/hostile-server.js";
import { tinyPng } from "../support/images.js";
import { SLACK_MS } from "../support/timing.js";

let server: HostileServer;
before(async () => {
  server = await startHostileServer({ png: tinyPng("remote") });
});
after(() => server.close());

test("a remote reference that sends headers and then nothing fails within its timeout as a usage error", async () => {
  const started = Date.now();
  await assert.rejects(loadReferences([{ kind: "url", value: `${server.url}/stall` }], process.cwd(), { timeoutMs: 300 }), (error: unknown) => {
    assert.ok(error instanceof UsageError, String(error));
    assert.match(error.message, /did not download within 0\.3 s; download it yourself and pass the file with -i/);
    return true;
  });
  assert.ok(Date.now() - started < 300 + SLACK_MS, `took ${Date.now() - started} ms`);
});

test("an interrupt stops a remote download at once and surfaces the interrupt, not a usage error", async () => {
  const interrupt = new AbortController();
  const reason = new Error("interrupted");
  setTimeout(() => interrupt.abort(reason), 100);
  await assert.rejects(loadReferences([{ kind: "any", value: `${server.url}/stall` }], process.cwd(), { signal: interrupt.signal }), (error: unknown) => error === reason);
});

test("a remote image becomes a data URL of its sniffed type", async () => {
  const [ref] = await loadReferences([{ kind: "url", value: `${server.url}/ref.png` }], process.cwd());
  assert.equal(ref?.imageUrl, `data:image/png;base64,${tinyPng("remote").toString("base64")}`);
  assert.equal(ref?.label, `${server.url}/ref.png`);
});
