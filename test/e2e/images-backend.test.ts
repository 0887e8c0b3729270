import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ACCOUNT_ID, assertUsageError, listDir, setupCli } from "../support/cli-fixture.js";
import type { RecordedRequest } from "../support/fake-backend.js";
import { startHostileServer } from "../support/hostile-server.js";
import { tinyPng } from "../support/images.js";

const TOOL_REFUSED = {
  kind: "http-error" as const,
  status: 400,
  body: { error: { type: "invalid_request_error", param: "tool_choice", message: "Tool choice 'image_generation' not found in 'tools' parameter." } },
};

function imageRequest(requests: RecordedRequest[], index = 0): RecordedRequest {
  const request = requests[index];
  assert.ok(request !== undefined, `no image request #${index}`);
  return request;
}

describe("--backend images", { concurrency: 4 }, () => {
  test("generates through /images/generations with only the fields that endpoint has", async (t) => {
    const f = await setupCli(t);
    const run = await f.run(["--backend", "images", "--json", "--size", "1024x1536", "--quality", "high", "--background", "transparent", "--out-dir", f.outDir, "a red fox"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(f.backend.generations.length, 0, "the responses endpoint is not used");
    const request = imageRequest(f.backend.imageRequests);
    assert.equal(request.path, "/backend-api/codex/images/generations");
    assert.deepEqual(request.body, { prompt: "a red fox", model: "gpt-image-2", size: "1024x1536", quality: "high", background: "transparent" });
    assert.equal(request.headers.authorization, `Bearer ${f.access}`);
    assert.equal(request.headers["chatgpt-account-id"], ACCOUNT_ID);
    assert.equal(request.headers.originator, "codex_cli_rs");
    assert.match(request.headers["user-agent"] ?? "", /^codex-imagen\//);
    assert.equal(request.headers["content-type"], "application/json");
    const result = run.json();
    assert.equal(result.backend, "images");
    assert.equal(result.model, "gpt-image-2");
    assert.equal(result.endpoint, `${f.backend.baseUrl}/images/generations`);
    assert.equal(result.image_count, 1);
    assert.deepEqual(readFileSync(result.images[0]?.path ?? ""), f.backend.defaultImage);
  });

  test("what the endpoint does not declare is reported as unknown (null), never as the request echoed", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueueFor("images", { kind: "images", images: [{ size: null, quality: null, background: null }] });
    const run = await f.run(["--backend", "images", "--json", "--quality", "high", "--background", "opaque", "--out-dir", f.outDir, "a red fox"]);
    assert.equal(run.code, 0, run.stderr);
    const [image] = run.json().images;
    assert.deepEqual([image?.quality, image?.background, image?.size], [null, null, null]);
    assert.deepEqual(run.json().requested, { size: null, quality: "high", background: "opaque", output_format: null, image_model: "gpt-image-2", count: 1 });
    assert.deepEqual(run.json().warnings, [], "nothing declared, nothing to compare");
  });

  test("edits go to /images/edits with the references as data URLs; --image-model is honoured", async (t) => {
    const f = await setupCli(t);
    const ref = join(f.home.home, "ref.png");
    writeFileSync(ref, tinyPng());
    const server = await startHostileServer({ png: tinyPng("remote") });
    t.after(() => server.close());
    const run = await f.run(["--backend", "images", "--image-model", "gpt-image-1.5", "-i", ref, "--image-url", `${server.url}/ref.png`, "--out-dir", f.outDir, "make it blue"]);
    assert.equal(run.code, 0, run.stderr);
    const request = imageRequest(f.backend.imageRequests);
    assert.equal(request.path, "/backend-api/codex/images/edits");
    assert.deepEqual(request.body, {
      prompt: "make it blue",
      model: "gpt-image-1.5",
      images: [{ image_url: `data:image/png;base64,${tinyPng().toString("base64")}` }, { image_url: `data:image/png;base64,${tinyPng("remote").toString("base64")}` }],
    });
  });

  test("--count runs parallel requests, one image each", async (t) => {
    const f = await setupCli(t);
    const run = await f.run(["--backend", "images", "--json", "--count", "3", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(f.backend.imageRequests.length, 3);
    assert.equal(run.json().image_count, 3);
    assert.equal(listDir(f.outDir).length, 3);
  });

  test("transient failures are retried; a usage limit is not", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "http-error", status: 503 });
    const retried = await f.run(["--backend", "images", "--retries", "1", "--out-dir", f.outDir, "x"]);
    assert.equal(retried.code, 0, retried.stderr);
    assert.equal(f.backend.imageRequests.length, 2);
    f.backend.enqueue({ kind: "http-error", status: 429, body: { error: { type: "usage_limit_reached", message: "limit", resets_in_seconds: 60 } } });
    const limited = await f.run(["--backend", "images", "--out-dir", f.outDir, "x"]);
    assert.equal(limited.code, 1);
    assert.match(limited.stderr, /resets at .+\(in (59|60) s\)/);
    assert.equal(f.backend.imageRequests.length, 3, "no retry after 429");
  });

  test("an expired token gets one refresh, then the request succeeds", async (t) => {
    const f = await setupCli(t);
    f.backend.rejectToken(f.access);
    const run = await f.run(["--backend", "images", "--json", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(f.backend.oauth.calls.length, 1);
    assert.equal(f.backend.imageRequests.length, 2);
  });

  const unsupported: Array<[string[], RegExp]> = [
    [["--format", "jpeg"], /cannot honour --format/],
    [["--format", "webp", "--compression", "50"], /cannot honour --format, --compression/],
    [["--moderation", "low"], /--moderation/],
    [["--partial-images", "2"], /--partial-images/],
    [["--save-partials"], /--partial-images/],
    [["--input-fidelity", "high"], /--input-fidelity/],
  ];
  for (const [args, pattern] of unsupported) {
    test(`a flag the endpoint cannot honour is a usage error: ${args.join(" ")}`, async (t) => {
      const f = await setupCli(t);
      assertUsageError(await f.run(["--backend", "images", ...args, "x"]), pattern);
    });
  }

  test("--mask is a usage error with --backend images", async (t) => {
    const f = await setupCli(t);
    const ref = join(f.home.home, "ref.png");
    writeFileSync(ref, tinyPng());
    assertUsageError(await f.run(["--backend", "images", "-i", ref, "--mask", ref, "x"]), /cannot honour --mask/);
  });
});

describe("fallback from the hosted tool to the image endpoints", { concurrency: 4 }, () => {
  test("a refused image tool falls back once; the JSON says which backend served", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue(TOOL_REFUSED);
    const run = await f.run(["--json", "--size", "1024x1024", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(f.backend.generations.length, 1);
    assert.equal(f.backend.imageRequests.length, 1);
    assert.deepEqual(imageRequest(f.backend.imageRequests).body, { prompt: "x", model: "gpt-image-2", size: "1024x1024" });
    const result = run.json();
    assert.equal(result.backend, "images");
    assert.equal(result.retry_attempts, 0, "a fallback is not a retry");
    assert.match(run.stderr, /using the typed image endpoints/);
  });

  test("flags the endpoints cannot honour are dropped with a warning on fallback", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ ...TOOL_REFUSED, status: 404, body: { error: { message: "The image_generation tool is not supported for this account." } } });
    const run = await f.run(["--format", "webp", "--partial-images", "1", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /without --format, --partial-images/);
    assert.deepEqual(imageRequest(f.backend.imageRequests).body, { prompt: "x", model: "gpt-image-2" });
  });

  test("after a fallback, requested holds what the typed endpoints were sent, not what they dropped", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue(TOOL_REFUSED);
    const run = await f.run(["--json", "--format", "webp", "--quality", "low", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    const result = run.json();
    assert.equal(result.backend, "images");
    assert.deepEqual(result.requested, { size: null, quality: "low", background: null, output_format: null, image_model: "gpt-image-2", count: 1 });
    assert.ok(!result.warnings.some((warning) => warning.code === "format_mismatch"), "no mismatch with a format that was never sent");
  });

  test("--count falls back once for the whole run", async (t) => {
    const f = await setupCli(t);
    // The hosted tool refuses every request; the second may reach it or go straight to the endpoints.
    f.backend.enqueueFor("responses", TOOL_REFUSED, TOOL_REFUSED);
    const run = await f.run(["--json", "--count", "2", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.json().image_count, 2);
    assert.equal(run.json().backend, "images");
    assert.equal(f.backend.imageRequests.length, 2, "both images come from the image endpoints");
    assert.ok(f.backend.generations.length >= 1 && f.backend.generations.length <= 2);
    assert.equal(run.stderr.match(/using the typed image endpoints/g)?.length, 1, "one warning");
  });

  test("at most once: when the image endpoints fail too, the run fails", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue(TOOL_REFUSED, { kind: "http-error", status: 404, body: { error: { message: "Not found" } } });
    const run = await f.run(["--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 1);
    assert.equal(f.backend.generations.length, 1);
    assert.equal(f.backend.imageRequests.length, 1);
  });

  test("no fallback when the user chose --backend responses", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue(TOOL_REFUSED);
    const run = await f.run(["--backend", "responses", "--json", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 1);
    assert.equal(f.backend.imageRequests.length, 0);
    assert.equal((run.json() as unknown as { error: { code: string } }).error.code, "tool_unsupported");
  });

  test("a model the backend rejects is not a reason to fall back, and the error names --model", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "http-error", status: 400, body: { error: { message: "The 'gpt-5.4' model is not supported when using Codex with a ChatGPT account." } } });
    const run = await f.run(["--model", "gpt-5.4", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /--model/);
    assert.equal(f.backend.imageRequests.length, 0);
  });

  test("a model that answers with text is a refusal, not a reason to fall back", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "text", text: "I can't draw that." });
    const run = await f.run(["--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /I can't draw that\./);
    assert.equal(f.backend.imageRequests.length, 0);
  });
});
