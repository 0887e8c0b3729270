/** `codex-imagen serve` under load and faults: shared slots and refresh, a full queue, a client that leaves, SIGTERM. */
import assert from "node:assert/strict";
import { once } from "node:events";
import { test } from "node:test";
import type { RecordedRequest } from "../support/fake-backend.js";
import { assertNoCredentials, nextGeneration, openaiClient, setupServe } from "../support/serve-fixture.js";

const generate = (url: string, prompt: string, signal?: AbortSignal): Promise<Response> =>
  fetch(`${url}/images/generations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ prompt }), signal });

test("40 concurrent SDK requests with --concurrency 4: all succeed, at most 4 upstream at once, one token refresh", async (t) => {
  const f = await setupServe(t, { expiresIn: -60, latencyMs: 50, args: ["--concurrency", "4"] });
  const client = openaiClient(f.server);
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => client.images.generate({ prompt: `picture ${i}` })));
  for (const answer of answers) assert.ok(Buffer.from(answer.data?.[0]?.b64_json ?? "", "base64").equals(f.backend.defaultImage));
  assert.equal(f.backend.generations.length, 40);
  assert.equal(f.backend.maxConcurrentGenerations, 4, "upstream requests at once");
  assert.equal(f.backend.oauth.calls.length, 1, "token refreshes");
  assertNoCredentials(f.server.stderr(), f);
});

test("beyond --concurrency plus --max-queue, a request is 503 at once with retry-after: 1", async (t) => {
  const f = await setupServe(t, { args: ["--concurrency", "1", "--max-queue", "1", "--retries", "0"] });
  f.backend.enqueue({ kind: "stall" });
  const holder = new AbortController();
  const first = generate(f.server.url, "holds the only slot", holder.signal).catch(() => undefined);
  await nextGeneration(f.backend);
  const second = generate(f.server.url, "waits in the queue");
  const third = generate(f.server.url, "finds the queue full");
  const refused = await Promise.race([second, third]);
  assert.equal(refused.status, 503);
  assert.equal(refused.headers.get("retry-after"), "1");
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, "queue_full");
  holder.abort();
  await first;
  const waited = (await Promise.all([second, third])).find((answer) => answer !== refused);
  assert.equal(waited?.status, 200);
});

test("n beyond --concurrency plus --max-queue can never be admitted: 400 naming both limits, nothing sent upstream", async (t) => {
  const f = await setupServe(t, { args: ["--concurrency", "2", "--max-queue", "1"] });
  const answer = await fetch(`${f.server.url}/images/generations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ prompt: "too many", n: 4 }) });
  const error = ((await answer.json()) as { error: { param: string; message: string } }).error;
  assert.equal(answer.status, 400);
  assert.equal(answer.headers.get("retry-after"), null);
  assert.equal(error.param, "n");
  assert.match(error.message, /--concurrency 2 .*--max-queue 1 .*= 3\. Ask for n of at most 3/);
  assert.deepEqual(f.backend.requests, []);
  const fits = await fetch(`${f.server.url}/images/generations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ prompt: "three fit", n: 3 }) });
  assert.equal(fits.status, 200);
  assert.equal(((await fits.json()) as { data: unknown[] }).data.length, 3);
});

test("a client that disconnects mid-generation aborts its upstream request within 1 s", async (t) => {
  const f = await setupServe(t, { args: ["--retries", "0"] });
  f.backend.enqueue({ kind: "stall" });
  const client = openaiClient(f.server);
  const controller = new AbortController();
  const call = client.images.generate({ prompt: "nobody will read this" }, { signal: controller.signal }).catch((error: unknown) => error);
  await nextGeneration(f.backend);
  const closed = once(f.backend.events, "closed-early") as Promise<[RecordedRequest]>;
  const abortedAt = Date.now();
  controller.abort();
  const [record] = await closed;
  assert.ok((record.closedEarlyAt ?? Infinity) - abortedAt < 1000, `upstream closed ${(record.closedEarlyAt ?? Infinity) - abortedAt} ms after the client left`);
  await call;
  await f.server.waitForLog(/client-closed/);
  assert.equal(f.backend.generations.length, 1, "the aborted request was not retried");
});

test("SIGTERM with requests in flight: they complete, new ones are refused, exit 143", async (t) => {
  const f = await setupServe(t, { latencyMs: 1500 });
  const arrived = new Promise<void>((resolve) => f.backend.events.on("generation", () => f.backend.generations.length === 2 && resolve()));
  const inFlight = [generate(f.server.url, "first"), generate(f.server.url, "second")];
  await arrived;
  f.server.child.kill("SIGTERM");
  await f.server.waitForLog(/Shutting down/);
  const late = await generate(f.server.url, "too late").then(
    (answer) => answer.status,
    () => "refused",
  );
  assert.ok(late === 503 || late === "refused", `a request after SIGTERM got ${String(late)}`);
  for (const answer of await Promise.all(inFlight)) {
    assert.equal(answer.status, 200);
    const body = (await answer.json()) as { data: Array<{ b64_json: string }> };
    assert.ok(Buffer.from(body.data[0]?.b64_json ?? "", "base64").equals(f.backend.defaultImage));
  }
  assert.deepEqual(await f.server.exited, { code: 143, signal: null });
  assert.equal(f.backend.generations.length, 2);
});
