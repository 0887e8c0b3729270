import assert from "node:assert/strict";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { describe, test } from "node:test";
import { ACCOUNT_ID, listDir, pngSize, promptText, requestBody, setupCli, sha256 } from "../support/cli-fixture.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

describe("generation", { concurrency: 4 }, () => {
  test("plain mode prints one absolute path per saved image and nothing else", async (t) => {
    const f = await setupCli(t);
    const run = await f.run(["--out-dir", f.outDir, "a red fox"]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split("\n");
    assert.equal(lines.at(-1), "", "stdout ends with a newline");
    assert.equal(lines.length, 2, `expected one path, got: ${run.stdout}`);
    const path = lines[0] as string;
    assert.ok(isAbsolute(path), path);
    assert.deepEqual(readFileSync(path), f.backend.defaultImage);
    assert.deepEqual(listDir(f.outDir), [path.slice(f.outDir.length + 1)]);
  });

  test("--json prints exactly one document with the result fields", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({
      kind: "images",
      images: [{ callId: "ig_json_1", revisedPrompt: "A fox, revised.", size: "1024x1024", quality: "high", background: "opaque" }],
      usage: { input_tokens: 5, output_tokens: 7, total_tokens: 12 },
      headers: { "x-codex-primary-used-percent": "42", "x-codex-primary-window-minutes": "300" },
    });
    const run = await f.run(["--json", "--out-dir", f.outDir, "--prompt", "a fox"]);
    assert.equal(run.code, 0, run.stderr);
    const result = run.json();
    const request = f.backend.generations[0];
    assert.ok(request !== undefined);

    assert.match(result.request_id ?? "", /^resp_/);
    assert.equal(result.session_id, request.headers["session_id"]);
    assert.equal(result.endpoint, `${f.backend.baseUrl}/responses`);
    assert.equal(result.model, "gpt-5.5");
    assert.equal(result.backend, "responses");
    assert.equal(result.image_count, 1);
    assert.equal(result.imageCount, 1);
    assert.equal(result.timed_out, false);
    assert.equal(result.retry_attempts, 0);
    assert.equal(typeof result.elapsed_ms, "number");
    assert.ok(result.seen_event_types.includes("response.completed"), String(result.seen_event_types));
    assert.ok(result.seen_event_types.includes("response.output_item.done"));
    assert.deepEqual(result.usage, { input_tokens: 5, output_tokens: 7, total_tokens: 12 });
    assert.equal(result.rate_limits?.primary?.used_percent, 42);
    assert.equal(result.rate_limits?.primary?.window_minutes, 300);
    assert.equal(result.requests.length, 1);
    assert.equal(result.requests[0]?.status, "ok");
    assert.equal(result.requests[0]?.image_count, 1);
    assert.equal(result.requests[0]?.request_id, result.request_id);

    assert.equal(result.images.length, 1);
    const image = result.images[0];
    assert.ok(image !== undefined);
    assert.ok(isAbsolute(image.path));
    const bytes = readFileSync(image.path);
    assert.equal(image.bytes, bytes.length);
    assert.equal(image.sha256, sha256(bytes));
    assert.equal(image.mime, "image/png");
    assert.deepEqual({ width: image.width, height: image.height }, pngSize(bytes));
    assert.equal(image.call_id, "ig_json_1");
    assert.equal(image.status, "completed");
    assert.equal(image.partial, false);
    assert.equal(image.revised_prompt, "A fox, revised.");
    assert.equal(image.size, "1024x1024");
    assert.equal(image.output_format, "png");
  });

  test("the request carries the Codex headers and an auto image_generation tool", async (t) => {
    const f = await setupCli(t);
    const run = await f.run(["--out-dir", f.outDir, "a lighthouse"]);
    assert.equal(run.code, 0, run.stderr);
    const request = f.backend.generations[0];
    assert.ok(request !== undefined);
    const h = request.headers;
    assert.equal(h.authorization, `Bearer ${f.access}`);
    assert.equal(h["chatgpt-account-id"], ACCOUNT_ID);
    assert.equal(h["originator"], "codex_cli_rs");
    assert.match(String(h["session_id"]), UUID);
    assert.equal(h["session-id"], h["session_id"]);
    assert.match(String(h["x-client-request-id"]), UUID);
    assert.match(String(h["user-agent"]), /^codex-imagen\//);
    assert.ok(String(h["user-agent"]).startsWith(`codex-imagen/${pkg.version}`));
    assert.match(String(h["version"]), /^\d+\.\d+\.\d+/);
    assert.equal(h.accept, "text/event-stream");
    assert.match(String(h["content-type"]), /^application\/json/);

    const body = requestBody(f.backend);
    assert.equal(body.model, "gpt-5.5");
    assert.equal(body.tools[0]?.type, "image_generation");
    assert.equal(body.tool_choice, "auto");
    assert.equal(body.stream, true);
    assert.equal(body.store, false);
    assert.ok("instructions" in body, "instructions present");
    assert.equal(promptText(body), "a lighthouse");
  });

  test("prompt forms: positional words, --prompt, --prompt=, --prompt-file, stdin", async (t) => {
    const f = await setupCli(t);
    const promptFile = join(f.home.home, "prompt.txt");
    writeFileSync(promptFile, "a prompt from a file, with ünïcode\n");
    const runs: Array<[string[], string, string | undefined]> = [
      [["a", "red", "fox"], "a red fox", undefined],
      [["--prompt", "a blue fox"], "a blue fox", undefined],
      [["--prompt=a green fox"], "a green fox", undefined],
      [["--prompt-file", promptFile], "a prompt from a file, with ünïcode", undefined],
      [["--prompt-file=prompt.txt", "--cwd", f.home.home], "a prompt from a file, with ünïcode", undefined],
      [["--prompt-file", "-"], "a prompt from stdin", "a prompt from stdin\n"],
    ];
    for (const [index, [args, expected, stdin]] of runs.entries()) {
      const run = await f.run(["--quiet", "--out-dir", f.outDir, ...args], { stdin });
      assert.equal(run.code, 0, `${args.join(" ")}: ${run.stderr}`);
      // A trailing newline from a file or stdin is not part of the prompt the model sees.
      assert.equal(promptText(requestBody(f.backend, index))?.trim(), expected, args.join(" "));
    }
  });

  test("a positional argument naming an existing file is prompt text, not a reference", async (t) => {
    const f = await setupCli(t);
    writeFileSync(join(f.home.home, "cat.png"), f.backend.defaultImage);
    const run = await f.run(["--out-dir", f.outDir, "--cwd", f.home.home, "cat.png"]);
    assert.equal(run.code, 0, run.stderr);
    const body = requestBody(f.backend);
    assert.equal(promptText(body), "cat.png");
    assert.ok(!JSON.stringify(body).includes("input_image"), "no image was attached");
  });

  test("--model and CODEX_IMAGEN_MODEL choose the responses model; the flag wins", async (t) => {
    const f = await setupCli(t);
    assert.equal((await f.run(["--quiet", "--out-dir", f.outDir, "--model", "gpt-test-a", "x"])).code, 0);
    assert.equal((await f.run(["--quiet", "--out-dir", f.outDir, "x"], { env: { CODEX_IMAGEN_MODEL: "gpt-test-env" } })).code, 0);
    assert.equal((await f.run(["--quiet", "--out-dir", f.outDir, "--model=gpt-test-b", "x"], { env: { CODEX_IMAGEN_MODEL: "gpt-test-env" } })).code, 0);
    assert.deepEqual(
      [0, 1, 2].map((i) => requestBody(f.backend, i).model),
      ["gpt-test-a", "gpt-test-env", "gpt-test-b"],
    );
  });

  test("--quiet leaves stderr empty on success", async (t) => {
    const f = await setupCli(t);
    const run = await f.run(["--quiet", "--out-dir", f.outDir, "a quiet fox"]);
    assert.equal(run.code, 0);
    assert.equal(run.stderr, "");
    assert.equal(run.lines().length, 1);
  });

  test("--verbose shows event progress and --debug also shows request ids; stdout stays paths only", async (t) => {
    const f = await setupCli(t);
    const normal = await f.run(["--out-dir", f.outDir, "x"]);
    const verbose = await f.run(["--verbose", "--out-dir", f.outDir, "x"]);
    const debug = await f.run(["--debug", "--out-dir", f.outDir, "x"]);
    for (const run of [normal, verbose, debug]) {
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.lines().length, 1);
      assert.ok(isAbsolute(run.lines()[0] as string));
    }
    const lineCount = (text: string): number => text.split("\n").filter((l) => l.trim() !== "").length;
    assert.ok(lineCount(verbose.stderr) > lineCount(normal.stderr), `verbose adds progress lines:\n${verbose.stderr}`);
    assert.match(verbose.stderr, /image_generation|output_item|partial|generating|response\./i);
    const debugRequest = f.backend.generations[2];
    assert.ok(debugRequest !== undefined);
    const clientId = String(debugRequest.headers["x-client-request-id"]);
    assert.ok(
      debug.stderr.includes(clientId) || /resp_[0-9a-f]{24}/.test(debug.stderr),
      `debug output names the request id:\n${debug.stderr}`,
    );
  });

  test("--quiet on failure prints only the error", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "http-error", status: 500 });
    const run = await f.run(["--quiet", "--no-retry", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    const lines = run.stderr.split("\n").filter((line) => line.trim() !== "");
    assert.ok(lines.length >= 1 && lines.length <= 2, run.stderr);
    assert.match(run.stderr, /500/);
  });

  test("--base-url with a trailing slash still posts to <base>/responses", async (t) => {
    const f = await setupCli(t);
    const run = await f.run(["--base-url", `${f.backend.baseUrl}/`, "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(f.backend.generations.length, 1);
  });

  test("--json and --out-dir: the saved file is where the result says, with a fresh mtime", async (t) => {
    const f = await setupCli(t);
    const before = Date.now() - 2000;
    const result = (await f.run(["--json", "--out-dir=" + f.outDir, "x"])).json();
    const image = result.images[0];
    assert.ok(image !== undefined);
    assert.ok(image.path.startsWith(f.outDir + "/") || image.path.startsWith(f.outDir + "\\"));
    assert.ok(statSync(image.path).mtimeMs >= before);
  });
});
