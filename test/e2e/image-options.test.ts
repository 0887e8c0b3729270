import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { encodePng } from "../../src/images/png.js";
import { assertUsageError, listDir, pngSize, requestBody, setupCli } from "../support/cli-fixture.js";
import { tinyPng } from "../support/images.js";

function toolEntry(f: Awaited<ReturnType<typeof setupCli>>, index = 0): Record<string, unknown> {
  const tools = requestBody(f.backend, index).tools;
  assert.equal(tools.length, 1);
  return tools[0] as Record<string, unknown>;
}

/** A 2x2 RGBA PNG: a valid mask. */
function alphaPng(): Buffer {
  return encodePng(2, 2, new Uint8Array(2 * 2 * 4).fill(0));
}

describe("image tool options", { concurrency: 4 }, () => {
  test("no option flags: the tool entry is only its type", async (t) => {
    const f = await setupCli(t);
    const run = await f.run(["--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(toolEntry(f), { type: "image_generation" });
  });

  test("every option lands in the tool entry under its wire name", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "images", images: [{ outputFormat: "jpeg" }] });
    const run = await f.run([
      "--out-dir", f.outDir,
      "--size", "1536x1024",
      "--quality", "high",
      "--background", "opaque",
      "--format", "jpg",
      "--compression", "80",
      "--moderation", "low",
      "--input-fidelity", "high",
      "--partial-images", "2",
      "--image-model", "gpt-image-2",
      "x",
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(toolEntry(f), {
      type: "image_generation",
      size: "1536x1024",
      quality: "high",
      background: "opaque",
      output_format: "jpeg",
      output_compression: 80,
      moderation: "low",
      input_fidelity: "high",
      partial_images: 2,
      model: "gpt-image-2",
    });
    assert.match(run.stderr, /image 1 format: asked for jpeg, got png \(declared jpeg\)/, "the saved type follows the bytes, with a warning");
    assert.equal(run.stderr.match(/format/g)?.length, 1, `one line for the one mismatch:\n${run.stderr}`);
    assert.match(listDir(f.outDir)[0] ?? "", /\.png$/);
  });

  test("when the hosted tool runs another image model than asked, a warning points to --backend images", async (t) => {
    const f = await setupCli(t);
    const run = await f.run(["--out-dir", f.outDir, "--image-model", "gpt-image-1.5", "--count", "2", "x"]);
    assert.equal(run.code, 0, run.stderr);
    const warnings = run.stderr.match(/runs gpt-image-2-codex, not the requested gpt-image-1\.5; --backend images honours --image-model/g);
    assert.equal(warnings?.length, 1, run.stderr);
  });

  test("an image that does not declare its format is checked against the requested --format", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "images", images: [{ outputFormat: null }] });
    const run = await f.run(["--out-dir", f.outDir, "--format", "webp", "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /image 1 format: asked for webp, got png/);
    assert.equal(run.stderr.match(/format/g)?.length, 1, `one line for the one mismatch:\n${run.stderr}`);
  });

  test("--aspect-ratio becomes a size with a 1024 short side", async (t) => {
    const f = await setupCli(t);
    for (const [ratio, size] of [["16:9", "1824x1024"], ["1:1", "1024x1024"], ["2:3", "1024x1536"]] as const) {
      const run = await f.run(["--out-dir", f.outDir, "--aspect-ratio", ratio, "x"]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(toolEntry(f, f.backend.generations.length - 1).size, size, ratio);
    }
  });

  test("--mask is sent as input_image_mask after the reference images", async (t) => {
    const f = await setupCli(t);
    const ref = join(f.home.home, "ref.png");
    const mask = join(f.home.home, "mask.png");
    writeFileSync(ref, tinyPng());
    writeFileSync(mask, alphaPng());
    const run = await f.run(["--out-dir", f.outDir, "-i", ref, "--mask", mask, "edit Image 1"]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(toolEntry(f).input_image_mask, { image_url: `data:image/png;base64,${alphaPng().toString("base64")}` });
  });

  const usageCases: Array<[string, string[], RegExp]> = [
    ["--compression without jpeg/webp", ["--compression", "50"], /--compression applies only/],
    ["--compression out of range", ["--format", "webp", "--compression", "101"], /--compression must be a whole number from 0 to 100/],
    ["--partial-images out of range", ["--partial-images", "4"], /--partial-images must be a whole number from 0 to 3/],
    ["bad --quality", ["--quality", "ultra"], /--quality must be one of low, medium, high, auto/],
    ["bad --background", ["--background", "none"], /--background must be one of/],
    ["bad --format", ["--format", "bmp"], /--format must be one of png, jpeg, webp/],
    ["bad --moderation", ["--moderation", "off"], /--moderation must be one of auto, low/],
    ["bad --input-fidelity", ["--input-fidelity", "max"], /--input-fidelity must be one of low, high/],
    ["--size with --aspect-ratio", ["--size", "1024x1024", "--aspect-ratio", "1:1"], /either --size or --aspect-ratio/],
    ["a ratio beyond 3:1", ["--aspect-ratio", "4:1"], /at most 3 times/],
    ["--mask without a reference", ["--mask", "m.png"], /needs a reference image|add one with -i/],
    ["--count 0", ["--count", "0"], /--count must be a whole number from 1 to 10/],
    ["--count 11", ["--count", "11"], /--count must be a whole number from 1 to 10/],
    ["--concurrency 0", ["--concurrency", "0"], /--concurrency must be a whole number from 1 to 10/],
    ["--save-partials with --no-stream", ["--save-partials", "--no-stream"], /needs streaming/],
    ["mock with --format jpeg", ["--backend", "mock", "--format", "jpeg"], /mock backend renders PNG only/],
  ];
  for (const [name, args, pattern] of usageCases) {
    test(`usage error: ${name}`, async (t) => {
      const f = await setupCli(t);
      const run = await f.run([...args, "x"]);
      assertUsageError(run, pattern);
      assert.equal(f.backend.generations.length, 0);
    });
  }

  test("a mask that is not a PNG with alpha is a usage error", async (t) => {
    const f = await setupCli(t);
    const ref = join(f.home.home, "ref.png");
    writeFileSync(ref, tinyPng());
    const run = await f.run(["-i", ref, "--mask", ref, "x"]);
    assertUsageError(run, /PNG with an alpha channel/);
  });
});

describe("--count", { concurrency: 4 }, () => {
  test("runs N requests in parallel with one session id; images come back in request order", async (t) => {
    const f = await setupCli(t);
    // No answer starts before all three requests arrived: only parallel requests can finish.
    const answerAfter = f.backend.untilGenerations(3);
    // The first request to arrive answers last, so arrival order differs from request order.
    f.backend.enqueue(
      { kind: "images", images: [{ callId: "ig_slow" }], delayMs: 150, answerAfter },
      { kind: "images", images: [{ callId: "ig_mid" }], delayMs: 60, answerAfter },
      { kind: "images", images: [{ callId: "ig_fast" }], answerAfter },
    );
    const run = await f.run(["--json", "--count", "3", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    const result = run.json();
    const sessions = new Set(f.backend.generations.map((request) => request.headers["session_id"]));
    const clientIds = new Set(f.backend.generations.map((request) => request.headers["x-client-request-id"]));
    assert.equal(f.backend.generations.length, 3);
    assert.equal(sessions.size, 1, "one session id for the whole run");
    assert.equal(clientIds.size, 3, "a request id per request");
    assert.equal(result.image_count, 3);
    assert.deepEqual(result.images.map((image) => image.request_index), [0, 1, 2]);
    assert.deepEqual(result.requests.map((request) => [request.index, request.status, request.image_count]), [[0, "ok", 1], [1, "ok", 1], [2, "ok", 1]]);
    assert.deepEqual(new Set(result.images.map((image) => image.call_id)), new Set(["ig_slow", "ig_mid", "ig_fast"]));
    assert.equal(listDir(f.outDir).length, 3, "distinct files");
  });

  test("--concurrency 1 runs them one after another", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "images", delayMs: 100 }, { kind: "images", delayMs: 100 });
    const run = await f.run(["--count", "2", "--concurrency", "1", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    const [first, second] = f.backend.generations;
    assert.ok(first && second && second.at - first.at >= 90, "the second request waited for the first");
  });

  test("a failed request does not lose the others: exit 0 and requests[] shows the failure", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue(
      { kind: "images" },
      { kind: "http-error", status: 400, body: { error: { message: "bad request for this one" } } },
      { kind: "images" },
    );
    const run = await f.run(["--json", "--count", "3", "--concurrency", "1", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    const result = run.json();
    assert.equal(result.image_count, 2);
    assert.deepEqual(result.requests.map((request) => request.status), ["ok", "failed", "ok"]);
    assert.equal(result.requests[1]?.error?.code, "backend");
    assert.match(result.requests[1]?.error?.message ?? "", /bad request for this one/);
    assert.equal(run.stdout.includes("\"path\""), true);
  });

  test("every request failing exits 1", async (t) => {
    const f = await setupCli(t);
    const error = { kind: "http-error" as const, status: 400, body: { error: { message: "nope" } } };
    f.backend.enqueue(error, error);
    const run = await f.run(["--count", "2", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /nope/);
  });

  test("one 429 stops launching new requests and says when the limit resets", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "http-error", status: 429, body: { error: { type: "usage_limit_reached", message: "limit", resets_in_seconds: 120 } } });
    const run = await f.run(["--json", "--count", "3", "--concurrency", "1", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 1);
    assert.equal(f.backend.generations.length, 1, "no request after the 429");
    const result = run.json() as ReturnType<typeof run.json> & { error: { code: string; message: string } };
    assert.equal(result.error.code, "rate_limited");
    assert.match(result.error.message, /local time \(in 1[12]\d s\)/);
    assert.deepEqual(result.requests.map((request) => request.error?.code), ["rate_limited", "rate_limited", "rate_limited"]);
    assert.match(result.requests[2]?.error?.message ?? "", /Not sent/);
  });

  test("-o with --count numbers the files without collisions and leaves a file at the exact path alone", async (t) => {
    const f = await setupCli(t);
    const output = join(f.outDir, "cat.png");
    mkdirSync(f.outDir, { recursive: true });
    writeFileSync(output, "precious");
    const run = await f.run(["--count", "3", "-o", output, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(readFileSync(output, "utf8"), "precious");
    assert.deepEqual(listDir(f.outDir), ["cat-1.png", "cat-2.png", "cat-3.png", "cat.png"]);
    for (const line of run.stderr.split("\n").filter((l) => l.startsWith("saved "))) assert.doesNotMatch(line, /cat\.png/, "no saved line names the exact path");
    assert.deepEqual(run.lines().sort(), ["cat-1.png", "cat-2.png", "cat-3.png"].map((name) => join(f.outDir, name)));
  });
});

describe("partial frames and usage", { concurrency: 4 }, () => {
  test("--save-partials saves streamed frames, reported only in JSON with partial: true", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "images", images: [{ callId: "ig_p", partials: 2 }] }, { kind: "images", images: [{ callId: "ig_p", partials: 2 }] });
    const json = await f.run(["--json", "--save-partials", "--out-dir", f.outDir, "x"]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(toolEntry(f).partial_images, 2, "--save-partials asks for frames");
    const result = json.json();
    assert.deepEqual(result.images.map((image) => image.partial), [true, true, false]);
    assert.equal(result.image_count, 1);
    assert.match(result.images[0]?.path ?? "", /-1-ig_p-partial-0\.png$/);
    assert.match(result.images[1]?.path ?? "", /-1-ig_p-partial-1\.png$/);
    for (const image of result.images) assert.equal(readFileSync(image.path).length, image.bytes);

    const plain = await f.run(["--save-partials", "--out-dir", join(f.outDir, "plain"), "x"]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.lines().length, 1, "plain mode prints final images only");
    assert.doesNotMatch(plain.stdout, /partial/);
    assert.equal(listDir(join(f.outDir, "plain")).length, 3);
  });

  test("without --save-partials, streamed frames are not saved", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "images", images: [{ partials: 3 }] });
    const run = await f.run(["--partial-images", "3", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(listDir(f.outDir).length, 1);
  });

  test("--usage prints the rate-limit state from the x-codex headers", async (t) => {
    const f = await setupCli(t);
    const resetAt = Math.floor(Date.now() / 1000) + 600;
    f.backend.enqueue({
      kind: "images",
      headers: {
        "x-codex-primary-used-percent": "42",
        "x-codex-primary-window-minutes": "300",
        "x-codex-primary-reset-at": String(resetAt),
        "x-codex-secondary-used-percent": "7",
        "x-codex-secondary-reset-after-seconds": "86400",
      },
    });
    const run = await f.run(["--usage", "--quiet", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.lines().length, 1, "stdout keeps only the path");
    assert.match(run.stderr, /usage primary: 42% used of a 5-hour window, resets at .+ local time \(in (59\d|600) s\)/);
    assert.match(run.stderr, /usage secondary: 7% used, window length unknown, resets at .+ \(in 8640\d s\)/);
  });

  test("--usage says so when the backend sent no rate-limit headers", async (t) => {
    const f = await setupCli(t);
    const run = await f.run(["--usage", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /no rate-limit headers/);
  });
});

describe("mock backend options", { concurrency: 4 }, () => {
  test("honours size, count and partial frames offline", async (t) => {
    const f = await setupCli(t);
    const run = await f.run(["--backend", "mock", "--json", "--count", "2", "--size", "64x32", "--save-partials", "--partial-images", "1", "--out-dir", f.outDir, "a fox"], { auth: false });
    assert.equal(run.code, 0, run.stderr);
    const result = run.json();
    assert.equal(result.backend, "mock");
    assert.equal(result.image_count, 2);
    const finals = result.images.filter((image) => !image.partial);
    assert.notEqual(finals[0]?.sha256, finals[1]?.sha256, "each request draws its own variation");
    for (const image of result.images) assert.deepEqual(pngSize(readFileSync(image.path)), { width: 64, height: 32 });
    assert.equal(result.images.filter((image) => image.partial).length, 2);
    assert.equal(f.backend.requests.length, 0, "no network");
  });
});
