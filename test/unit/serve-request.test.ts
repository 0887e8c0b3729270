import assert from "node:assert/strict";
import { join } from "node:path";
import test from "node:test";
import { AuthError, BackendError, PolicyError, RateLimitError, TimeoutError, UsageError } from "../../src/errors.js";
import { Admission } from "../../src/serve/admission.js";
import { checkBearer } from "../../src/serve/api-key.js";
import { isLoopback, parseServeArgs, type ServeConfig } from "../../src/serve/args.js";
import { editFormFields, editJsonFields, generationFields } from "../../src/serve/fields.js";
import { HttpError, toOpenAiError } from "../../src/serve/openai-errors.js";
import { jsonImages, jsonMask } from "../../src/serve/references.js";
import { paramOf, runOptions } from "../../src/serve/run-options.js";
import { encodePng } from "../../src/images/png.js";
import { tinyPng } from "../support/images.js";
import { makeTempDir } from "../support/run-cli.js";

const context = { env: {}, cwd: "/srv", homeDir: "/home/u" };

function config(args: string[] = []): ServeConfig {
  const command = parseServeArgs(["--backend", "responses", ...args], context);
  assert.equal(command.kind, "serve");
  return command.config;
}

/** The OpenAI error a throwing call answers with. */
function answerOf(call: () => unknown, references: "image" | "images" = "image") {
  try {
    call();
  } catch (error) {
    return toOpenAiError(error, paramOf(references));
  }
  return assert.fail("expected an error");
}

test("fields: OpenAI names, aliases and types; errors name the field", () => {
  const fields = generationFields({ prompt: " a fox ", quality: "hd", n: null, user: "u-1", style: "vivid", stream: true });
  assert.deepEqual(fields, { prompt: " a fox ", quality: "high", stream: true, response_format: "b64_json" });
  assert.equal(generationFields({ prompt: "x", quality: "standard" }).quality, "medium");
  assert.deepEqual(answerOf(() => generationFields({})), { status: 400, message: "prompt is required.", type: "invalid_request_error", param: "prompt", code: "invalid_value" });
  assert.equal(answerOf(() => generationFields({ prompt: "  " })).param, "prompt");
  assert.equal(answerOf(() => generationFields({ prompt: "x", n: "2" })).message, "n must be a number.");
  assert.match(answerOf(() => generationFields({ prompt: "x", background: "green" })).message, /^background must be one of transparent, opaque, auto\.$/);
  assert.equal(answerOf(() => editJsonFields({ prompt: "x", images: [{ image_url: 3 }] })).param, "images[0].image_url");
  assert.deepEqual(editFormFields({ prompt: "x", n: "2", stream: "true", partial_images: "1", input_fidelity: "low" }), {
    prompt: "x",
    n: 2,
    partial_images: 1,
    input_fidelity: "low",
    stream: true,
    response_format: "b64_json",
  });
  assert.equal(answerOf(() => editFormFields({ prompt: "x", n: "two" })).param, "n");
});

test("run options: the CLI's rules, with OpenAI's field names in messages and params", () => {
  const inputs = { outputDir: "/tmp/out", cwd: "/tmp" };
  const run = (fields: Record<string, unknown>, args: string[] = []) => runOptions(generationFields({ prompt: "x", ...fields }), config(args), inputs);
  const { options } = run({ n: 3, size: "1536x1024", output_format: "webp", output_compression: 80, model: "gpt-image-1.5" });
  assert.equal(options.count, 3);
  assert.equal(options.concurrency, 3);
  assert.deepEqual(options.tool, { size: "1536x1024", output_format: "webp", output_compression: 80, model: "gpt-image-1.5" });
  assert.equal(options.outDir, "/tmp/out");
  assert.equal(run({ model: "dall-e-3" }, ["--image-model", "gpt-image-2"]).options.tool.model, "gpt-image-2", "DALL-E names mean the default");
  assert.equal(run({ partial_images: 2 }).options.savePartials, false, "partial frames only when streaming");
  assert.equal(run({ partial_images: 2, stream: true }).options.savePartials, true);
  assert.equal(run({ partial_images: 2, stream: true }, ["--no-stream"]).options.savePartials, false, "no frames without the upstream stream");

  const n = answerOf(() => run({ n: 11 }));
  assert.equal(n.param, "n");
  assert.match(n.message, /^n must be a whole number from 1 to 10/);
  assert.equal(answerOf(() => run({ size: "100x100" })).param, "size");
  const compression = answerOf(() => run({ output_compression: 50 }));
  assert.deepEqual([compression.param, compression.message], ["output_compression", "output_compression applies only to output_format jpeg or webp."]);
  assert.equal(answerOf(() => run({ partial_images: 5, stream: true })).param, "partial_images");
  const images = answerOf(() => run({ output_format: "jpeg" }, ["--backend", "images"]));
  assert.equal(images.param, "output_format");
  assert.match(images.message, /--backend images cannot honour output_format/);
});

test("run errors become OpenAI's statuses, types and codes", () => {
  const reset = new Date(Date.now() + 90_000);
  const limited = toOpenAiError(new RateLimitError("The usage limit was reached; it resets at 10:00 (in 90 s).", reset));
  assert.deepEqual([limited.status, limited.type, limited.code], [429, "requests", "rate_limit_exceeded"]);
  assert.ok(limited.retryAfterSeconds !== undefined && limited.retryAfterSeconds >= 89 && limited.retryAfterSeconds <= 90);
  assert.equal(toOpenAiError(new RateLimitError("limit", undefined, { retryAfterSeconds: 7.2 })).retryAfterSeconds, 8);

  const expired = toOpenAiError(new AuthError("auth_expired", "/home/u/.codex/auth.json holds no usable access token; log in again with `codex login`."));
  assert.deepEqual([expired.status, expired.code], [503, "auth_expired"]);
  assert.match(expired.message, /log in with `codex login`/);
  assert.doesNotMatch(expired.message, /auth\.json|\/home/);
  const missing = toOpenAiError(new AuthError("auth_missing", "No credentials: checked /home/u/.codex/auth.json, ..."));
  assert.doesNotMatch(missing.message, /\/home/);
  assert.match(missing.message, /openclaw models auth login/);

  assert.deepEqual([toOpenAiError(new PolicyError("refused")).status, toOpenAiError(new PolicyError("refused")).code], [400, "moderation_blocked"]);
  assert.equal(toOpenAiError(new TimeoutError("slow")).status, 504);
  const upstream = toOpenAiError(new BackendError("backend", "HTTP 500 with eyJhbGciOiJub25lIn0.eyJleHAiOjF9.sig"));
  assert.deepEqual([upstream.status, upstream.type], [502, "api_error"]);
  assert.doesNotMatch(upstream.message, /eyJ/, "tokens are redacted");
  const reference = toOpenAiError(new UsageError("--input-ref: https://x.test/a.png answered HTTP 404; check the URL.", "--input-ref"), paramOf("images"));
  assert.deepEqual([reference.param, reference.message], ["images", "images: https://x.test/a.png answered HTTP 404; check the URL."]);
  assert.equal(toOpenAiError(new Error("boom")).status, 500);
});

test("admission: concurrency plus queue, counted in upstream requests; released once", () => {
  const admission = new Admission(2, 3);
  const a = admission.admit(4);
  assert.throws(() => admission.admit(2), (error: unknown) => error instanceof HttpError && error.answer.status === 503 && error.answer.retryAfterSeconds === 1);
  const b = admission.admit(1);
  a();
  a();
  assert.equal(admission.admitted, 1);
  b();
  assert.equal(admission.admitted, 0);
});

test("admission: a request larger than concurrency plus queue is a 400 naming both limits, even when the server is idle", () => {
  const answer = answerOf(() => new Admission(2, 3).admit(6));
  assert.deepEqual([answer.status, answer.param, answer.code], [400, "n", "invalid_value"]);
  assert.match(answer.message, /^n is 6, .*--concurrency 2 .*--max-queue 3 .*= 5\. Ask for n of at most 5/);
  assert.equal(answer.retryAfterSeconds, undefined);
});

test("API key: Bearer only, exact, never echoed", () => {
  assert.doesNotThrow(() => checkBearer("Bearer sk-1", "sk-1"));
  assert.doesNotThrow(() => checkBearer("bearer   sk-1", "sk-1"));
  for (const header of [undefined, "", "sk-1", "Basic sk-1", "Bearer sk-12", "Bearer sk-", "Bearer sk-1 extra"]) {
    assert.throws(
      () => checkBearer(header, "sk-1"),
      (error: unknown) => error instanceof HttpError && error.answer.status === 401 && error.answer.code === "invalid_api_key" && !error.message.includes("sk-1"),
      String(header),
    );
  }
});

test("serve flags: loopback or a key, ranges, paths relative to the current directory", () => {
  for (const host of ["127.0.0.1", "127.8.9.1", "localhost", "::1", "[::1]"]) assert.ok(isLoopback(host), host);
  for (const host of ["0.0.0.0", "::", "192.168.1.2", "example.com", "128.0.0.1"]) assert.ok(!isLoopback(host), host);
  const defaults = config();
  assert.deepEqual([defaults.host, defaults.port, defaults.concurrency, defaults.maxQueue, defaults.apiKey, defaults.keepDir], ["127.0.0.1", 8319, 4, 64, undefined, undefined]);
  assert.equal(config(["--keep", "kept"]).keepDir, "/srv/kept");
  assert.equal(config(["--auth", "a.json"]).auth.authFile, "/srv/a.json");
  assert.equal(config(["--cors", "http://localhost:3000/"]).corsOrigin, "http://localhost:3000");
  assert.throws(() => config(["--cors", "http://localhost:3000/app"]), /--cors must be an origin/);
  assert.throws(() => config(["--host", "0.0.0.0"]), /Refusing to listen on 0\.0\.0\.0 without an API key/);
  assert.equal(parseServeArgs(["--host", "0.0.0.0"], { ...context, env: { CODEX_IMAGEN_API_KEY: "k" } }).kind, "serve");
  assert.throws(() => config(["--port", "70000"]), /--port must be a whole number from 0 to 65535/);
  assert.throws(() => config(["--concurrency", "0"]), /--concurrency/);
  assert.throws(() => parseServeArgs(["a", "prompt"], context), /codex-imagen serve takes flags only/);
  assert.throws(() => parseServeArgs(["--prompt", "x"], context), /Unknown flag --prompt/);
});

test("JSON edits: only http(s) and data: URLs, never a server path; file_id is a 400; a mask must be a PNG with alpha", async () => {
  const png = `data:image/png;base64,${tinyPng().toString("base64")}`;
  assert.deepEqual(jsonImages([{ image_url: png }, { image_url: "https://example.test/a.png" }]), [png, "https://example.test/a.png"]);
  for (const [refs, param] of [
    [[{ image_url: "/etc/passwd" }], "images[0].image_url"],
    [[{ image_url: png }, { image_url: "~/secret.png" }], "images[1].image_url"],
    [[{ file_id: "file-123" }], "images[0].file_id"],
    [[{}], "images[0].image_url"],
  ] as const) {
    assert.equal(answerOf(() => jsonImages([...refs])).param, param, JSON.stringify(refs));
  }
  const dir = makeTempDir("codex-imagen-mask-");
  const alpha = encodePng(2, 2, new Uint8Array(16));
  const signal = new AbortController().signal;
  assert.equal(await jsonMask({ image_url: `data:image/png;base64,${alpha.toString("base64")}` }, dir, signal), join(dir, "mask"));
  const maskError = async (ref: Parameters<typeof jsonMask>[0]) => toOpenAiError(await jsonMask(ref, makeTempDir(), signal).then(() => undefined, (error: unknown) => error));
  assert.deepEqual([(await maskError({ image_url: png })).param, (await maskError({ image_url: png })).status], ["mask", 400], "no alpha channel");
  assert.equal((await maskError({ image_url: "ftp://example.test/mask.png" })).param, "mask.image_url");
  assert.equal((await maskError({ image_url: "/etc/passwd" })).param, "mask.image_url");
  assert.equal((await maskError({})).param, "mask.image_url");
  assert.equal((await maskError({ file_id: "file-1" })).param, "mask.file_id");
});
