import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import test from "node:test";
import { parseCommandLine, type CliCommand } from "../../src/cli/args.js";
import type { CliContext } from "../../src/cli/context.js";
import { UsageError } from "../../src/errors.js";
import type { GenerateOptions } from "../../src/options.js";

const cwd = await mkdtemp(join(tmpdir(), "codex-imagen-args-"));
await writeFile(join(cwd, "prompt.txt"), "\uFEFFa fox from a file\n");
const context = (env: Record<string, string> = {}, stdin = ""): CliContext => ({ env, cwd, homeDir: cwd, readStdin: async () => stdin });

async function options(argv: string[], env?: Record<string, string>, stdin?: string): Promise<GenerateOptions> {
  const command: CliCommand = await parseCommandLine(argv, context(env, stdin));
  return command.options;
}

async function usageError(argv: string[], pattern: RegExp): Promise<void> {
  await assert.rejects(parseCommandLine(argv, context()), (error: unknown) => {
    assert.ok(error instanceof UsageError, `expected a UsageError for ${argv.join(" ")}`);
    assert.equal(error.exitCode, 2);
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  });
}

test("defaults follow the spec", async () => {
  const parsed = await options(["a", "red", "fox"]);
  assert.equal(parsed.prompt, "a red fox");
  assert.equal(parsed.model, "gpt-5.5");
  assert.equal(parsed.baseUrl, "https://chatgpt.com/backend-api/codex");
  assert.equal(parsed.auth.refreshUrl, "https://auth.openai.com/oauth/token");
  assert.equal(parsed.retries, 4);
  assert.equal(parsed.timeoutMs, 300_000);
  assert.equal(parsed.stream, true);
  assert.equal(parsed.imageDetail, "high");
  assert.equal(parsed.outDir, join(cwd, "codex-imagen-output"));
  assert.equal(parsed.backend, "responses");
});

test("prompt sources: --prompt, --flag=value, a file with a BOM, and stdin", async () => {
  assert.equal((await options(["--prompt=a cat"])).prompt, "a cat");
  assert.equal((await options(["--prompt-file", "prompt.txt"])).prompt, "a fox from a file");
  assert.equal((await options(["--prompt-file", "-"], {}, "from stdin\n")).prompt, "from stdin");
});

test("timeouts: three forms, seconds versus milliseconds", async () => {
  assert.equal((await options(["x", "--timeout", "2.5"])).timeoutMs, 2500);
  assert.equal((await options(["x", "--timeout-seconds=7"])).timeoutMs, 7000);
  assert.equal((await options(["x", "--timeout-ms", "300"])).timeoutMs, 300);
});

test("references keep command-line order; comma lists split only local paths", async () => {
  const parsed = await options([
    "x",
    "-i", "a.png,b.png",
    "--image-url", "https://example.com/a,b.png",
    "--input-ref", "data:image/png;base64,AAAA,BBBB",
    "--input-ref", "c.png,d.png",
  ]);
  assert.deepEqual(parsed.references, [
    { kind: "local", value: "a.png" },
    { kind: "local", value: "b.png" },
    { kind: "url", value: "https://example.com/a,b.png" },
    { kind: "any", value: "data:image/png;base64,AAAA,BBBB" },
    { kind: "any", value: "c.png" },
    { kind: "any", value: "d.png" },
  ]);
});

test("output paths resolve against --cwd; a trailing slash marks a directory", async () => {
  assert.equal((await options(["x", "-o", "out/a.png"])).output, join(cwd, "out", "a.png"));
  assert.equal((await options(["x", "-o", "out/"])).output, join(cwd, "out") + sep);
  assert.equal((await options(["x", "--out-dir", "imgs"])).outDir, join(cwd, "imgs"));
});

test("the default output directory follows the env order", async () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ CODEX_IMAGEN_OUT_DIR: "/a", OPENCLAW_OUTPUT_DIR: "/b" }, "/a"],
    [{ CODEX_IMAGEN_OUT_DIR: "", OPENCLAW_OUTPUT_DIR: "/b", OPENCLAW_AGENT_DIR: "/c" }, "/b"],
    [{ OPENCLAW_AGENT_DIR: "/c", OPENCLAW_STATE_DIR: "/d" }, "/c/artifacts/codex-imagen"],
    [{ OPENCLAW_STATE_DIR: "/d" }, "/d/artifacts/codex-imagen"],
  ];
  for (const [env, expected] of cases) assert.equal((await options(["x"], env)).outDir, expected, JSON.stringify(env));
});

test("CODEX_IMAGEN_MODEL sets the model unless --model is given", async () => {
  assert.equal((await options(["x"], { CODEX_IMAGEN_MODEL: "gpt-6" })).model, "gpt-6");
  assert.equal((await options(["x", "--model", "m"], { CODEX_IMAGEN_MODEL: "gpt-6" })).model, "m");
});

test("--smoke and --refresh-only need no prompt", async () => {
  assert.equal((await parseCommandLine(["--smoke"], context())).kind, "smoke");
  assert.equal((await parseCommandLine(["--refresh-only", "--json"], context())).kind, "refresh-only");
});

const usageCases: Array<[string[], RegExp]> = [
  [["--bogus", "x"], /^Unknown flag --bogus\. Run --help/],
  [["--out-dirr", "d", "x"], /^Unknown flag --out-dirr; did you mean --out-dir\? Run --help/],
  [["x", "--timeout"], /--timeout needs a value/],
  [["x", "--timeout", "abc"], /positive number/],
  [["x", "--timeout=0"], /positive number/],
  [["x", "--timeout=-1"], /positive number/],
  [["x", "--timeout", "5", "--timeout-ms", "10"], /only one of/],
  [["x", "--retries", "two"], /--retries/],
  [["x", "--retries", "1", "--no-retry"], /either --retries or --no-retry/],
  [["   "], /prompt is empty/],
  [[], /prompt is empty/],
  [["--prompt-file", "missing.txt"], /does not exist/],
  [["x", "--prompt", "y"], /one way/],
  [["x", "-o", "a.png", "--out-dir", "d"], /either -o\/--output or --out-dir/],
  [["x", "--image-detail", "ultra"], /--image-detail must be one of/],
  [["x", "--backend", "nope"], /--backend must be one of/],
  [["x", "--size", "100x100"], /multiples of 16/],
  [["x", "--size", "4096x2048"], /at most 3840/],
  [["x", "--size", "3840x1024"], /3 times/],
  [["x", "--base-url", "ftp://x"], /http\(s\) URL/],
  [["x", "--cwd", "nowhere"], /not a directory/],
  [["x", "--quiet", "--debug"], /--quiet cannot be combined/],
  [["x", "--no-refresh", "--force-refresh"], /contradict/],
  [["--refresh-only", "--no-refresh"], /--refresh-only and --no-refresh contradict/],
  [["x", "--deadline", "0"], /--deadline must be a positive number/],
];

for (const [argv, pattern] of usageCases) {
  test(`usage error: ${JSON.stringify(argv)}`, () => usageError(argv, pattern));
}

test("a size outside the published pixel range is sent with a warning", async () => {
  const command = await parseCommandLine(["x", "--size", "256x128"], context());
  assert.ok(command.kind === "generate");
  assert.equal(command.options.tool.size, "256x128");
  assert.match(command.warnings.join("\n"), /outside the published/);
});

test("mcp and serve as the first positional (after flags) ask for --prompt; later words are prompt text", async () => {
  assert.equal((await options(["a", "serve"])).prompt, "a serve");
  await usageError(["--quality", "low", "serve"], /serve is a subcommand and goes first: codex-imagen serve \[flags\]\. To use "serve" as the prompt, pass --prompt serve\./);
  await usageError(["--quality", "low", "mcp"], /mcp is a subcommand and goes first/);
  assert.equal((await options(["--prompt", "serve"])).prompt, "serve");
});
