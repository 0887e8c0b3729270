import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import type { CallToolResult, ProgressNotification } from "@modelcontextprotocol/sdk/types.js";
import type { GenerateResult } from "../../src/result.js";
import { ACCOUNT_ID, contentItems, listDir, requestBody, sha256 } from "../support/cli-fixture.js";
import { startFakeBackend, type FakeBackend } from "../support/fake-backend.js";
import { resultText, startMcp, type McpSession } from "../support/mcp-client.js";
import { noisyPng } from "../support/noisy-png.js";
import { BUNDLE, cleanEnv, makeTempDir, makeTempHome, runCli, type TempHome } from "../support/run-cli.js";
import { SLACK_MS, STALL_TIMEOUT_MS } from "../support/timing.js";
import { makeJwt, writeCodexAuth } from "../support/tokens.js";

const SCHEMA = JSON.parse(readFileSync(new URL("../../schema/result.schema.json", import.meta.url), "utf8")) as Record<string, unknown>;
const validateResult = new AjvJsonSchemaValidator().getValidator<GenerateResult>(SCHEMA);

function structured(result: CallToolResult): GenerateResult {
  assert.notEqual(result.isError, true, resultText(result));
  const checked = validateResult(result.structuredContent);
  assert.ok(checked.valid, checked.errorMessage);
  return checked.data;
}

describe("codex-imagen mcp (stdio, real backend path against the fake backend)", () => {
  let backend: FakeBackend;
  let home: TempHome;
  let outDir: string;
  let mcp: McpSession;
  let access: string;

  before(async () => {
    backend = await startFakeBackend({ oauth: { accountId: ACCOUNT_ID } });
    home = makeTempHome();
    outDir = join(home.home, "out");
    access = makeJwt({ expSeconds: 3600, accountId: ACCOUNT_ID });
    const authFile = writeCodexAuth(home.codexHome, { access, refresh: "rt_mcp_test_refresh_token", accountId: ACCOUNT_ID });
    mcp = await startMcp(home, ["--base-url", backend.baseUrl, "--refresh-url", backend.refreshUrl, "--auth", authFile, "--out-dir", outDir, "--retries", "0"]);
  });

  after(async () => {
    await mcp?.close();
    await backend?.close();
  });

  test("lists generate_image and edit_image with argument and output schemas", async () => {
    const { tools } = await mcp.client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), ["edit_image", "generate_image"]);
    const generate = tools.find((tool) => tool.name === "generate_image");
    const edit = tools.find((tool) => tool.name === "edit_image");
    assert.ok(generate && edit);
    assert.deepEqual(Object.keys(generate.inputSchema.properties ?? {}).sort(), ["background", "count", "format", "output_dir", "prompt", "quality", "size"]);
    assert.deepEqual(generate.inputSchema.required, ["prompt"]);
    assert.deepEqual(Object.keys(edit.inputSchema.properties ?? {}).sort(), ["background", "count", "format", "mask", "output_dir", "prompt", "quality", "references", "size"]);
    assert.deepEqual([...(edit.inputSchema.required ?? [])].sort(), ["prompt", "references"]);
    assert.match(generate.description ?? "", /prompt/);
    assert.match(JSON.stringify(generate.inputSchema.properties?.output_dir), new RegExp(outDir.replace(/[\\.]/g, "\\$&")));
    // The published schema file is exactly what the server declares.
    assert.deepEqual(generate.outputSchema, SCHEMA);
    assert.deepEqual(edit.outputSchema, SCHEMA);
  });

  test("generate_image saves the image and returns paths, an image block and the --json result", async () => {
    const result = (await mcp.client.callTool({
      name: "generate_image",
      arguments: { prompt: "a lighthouse at dusk", size: "1536x1024", quality: "low", background: "opaque" },
    })) as CallToolResult;
    const json = structured(result);
    assert.equal(json.image_count, 1);
    const image = json.images[0];
    assert.ok(image);
    assert.ok(image.path.startsWith(outDir), image.path);
    const bytes = readFileSync(image.path);
    assert.equal(image.sha256, sha256(bytes));
    assert.match(resultText(result), new RegExp(`Saved 1 image:\\n- ${image.path.replace(/[\\.]/g, "\\$&")}`));
    const blocks = result.content.filter((block) => block.type === "image");
    assert.equal(blocks.length, 1);
    assert.equal(blocks[0]?.data, bytes.toString("base64"));
    assert.equal(blocks[0]?.mimeType, "image/png");
    const tool = requestBody(backend, backend.generations.length - 1).tools[0];
    assert.equal(tool?.size, "1536x1024");
    assert.equal(tool?.quality, "low");
    assert.equal(tool?.background, "opaque");
  });

  test("a mismatch is in the structured result and said in the text", async () => {
    backend.enqueue({ kind: "images", images: [{ width: 96, height: 64, quality: "medium" }] });
    const result = (await mcp.client.callTool({ name: "generate_image", arguments: { prompt: "a wide banner", size: "1536x1024", quality: "high" } })) as CallToolResult;
    const json = structured(result);
    assert.deepEqual(json.requested, { size: "1536x1024", quality: "high", background: null, output_format: null, image_model: null, count: 1 });
    assert.deepEqual(json.warnings.map((warning) => [warning.code, warning.image_index]), [["size_mismatch", 0], ["quality_mismatch", 0]]);
    assert.match(resultText(result), /^Warning: image 1 size: asked for 1536x1024, got 96x64$/m);
    assert.match(resultText(result), /^Warning: image 1 quality: asked for high, got medium$/m);
  });

  test("edit_image sends a reference under the root as Image 1; output_dir may be relative to the output dir", async () => {
    const reference = join(home.home, "pictures", "cat.png");
    mkdirSync(join(home.home, "pictures"), { recursive: true });
    writeFileSync(reference, backend.defaultImage);
    const result = (await mcp.client.callTool({
      name: "edit_image",
      arguments: { prompt: "make Image 1 a pencil sketch", references: [reference], output_dir: "edits" },
    })) as CallToolResult;
    const json = structured(result);
    assert.ok(json.images[0]?.path.startsWith(join(outDir, "edits")), json.images[0]?.path);
    const images = contentItems(requestBody(backend, backend.generations.length - 1)).filter((item) => item.type === "input_image");
    assert.equal(images.length, 1);
    assert.equal(images[0]?.image_url, `data:image/png;base64,${backend.defaultImage.toString("base64")}`);
  });

  test("output_dir, references and mask outside the roots are tool errors, and nothing is sent", async () => {
    const outside = makeTempDir("codex-imagen-outside-");
    const picture = join(outside, "secret.png");
    writeFileSync(picture, backend.defaultImage);
    const sent = backend.generations.length;
    const calls = [
      { name: "generate_image", arguments: { prompt: "x", output_dir: outside } },
      { name: "generate_image", arguments: { prompt: "x", output_dir: "../../../escape" } },
      { name: "edit_image", arguments: { prompt: "x", references: [picture] } },
      { name: "edit_image", arguments: { prompt: "x", references: [join(home.home, "pictures", "cat.png")], mask: picture } },
    ];
    for (const call of calls) {
      const result = (await mcp.client.callTool(call)) as CallToolResult;
      assert.equal(result.isError, true, JSON.stringify(call));
      assert.match(resultText(result), /outside the directories this server may use/);
    }
    assert.equal(backend.generations.length, sent);
    assert.deepEqual(listDir(outside), ["secret.png"]);
  });

  test("invalid arguments are tool errors naming the argument", async () => {
    const tooMany = (await mcp.client.callTool({ name: "generate_image", arguments: { prompt: "x", count: 11 } })) as CallToolResult;
    assert.equal(tooMany.isError, true);
    assert.match(resultText(tooMany), /count/);
    const badSize = (await mcp.client.callTool({ name: "generate_image", arguments: { prompt: "x", size: "100x100" } })) as CallToolResult;
    assert.equal(badSize.isError, true);
    assert.match(resultText(badSize), /multiples of 16/);
    const noPrompt = (await mcp.client.callTool({ name: "edit_image", arguments: { references: [] } })) as CallToolResult;
    assert.equal(noPrompt.isError, true);
  });

  test("an unknown argument is a tool error naming the argument that was probably meant, and nothing is sent", async () => {
    const before = backend.generations.length;
    const camel = (await mcp.client.callTool({ name: "generate_image", arguments: { prompt: "x", outputDir: "elsewhere" } })) as CallToolResult;
    assert.equal(camel.isError, true);
    assert.match(resultText(camel), /unknown argument "outputDir"; did you mean output_dir\?/);
    const typo = (await mcp.client.callTool({ name: "edit_image", arguments: { prompt: "x", references: ["a.png"], refrences: ["b.png"] } })) as CallToolResult;
    assert.equal(typo.isError, true);
    assert.match(resultText(typo), /unknown argument "refrences"; did you mean references\?/);
    assert.equal(backend.generations.length, before);
  });

  test("a backend error is a tool error with the CLI's message, and the server answers the next call", async () => {
    backend.enqueue({ kind: "http-error", status: 429, body: { error: { type: "usage_limit_reached", message: "limit", resets_in_seconds: 120 } } });
    const failed = (await mcp.client.callTool({ name: "generate_image", arguments: { prompt: "x" } })) as CallToolResult;
    assert.equal(failed.isError, true);
    assert.match(resultText(failed), /^codex-imagen failed \(rate_limited\): .*resets/);
    assert.ok(!resultText(failed).includes(access), "the access token leaked");
    const next = (await mcp.client.callTool({ name: "generate_image", arguments: { prompt: "y" } })) as CallToolResult;
    assert.equal(structured(next).image_count, 1);
  });

  test("sends progress notifications while generating when the client asks for them", async () => {
    backend.enqueue({ kind: "images", images: [{ partials: 2 }], startDelayMs: 300, delayMs: 30 });
    const notes: Array<Omit<ProgressNotification["params"], "progressToken">> = [];
    const result = (await mcp.client.callTool({ name: "generate_image", arguments: { prompt: "slow" } }, undefined, {
      onprogress: (progress) => notes.push(progress),
    })) as CallToolResult;
    structured(result);
    assert.ok(notes.length >= 3, `expected start, partial frames and the image, got ${JSON.stringify(notes)}`);
    for (let i = 1; i < notes.length; i += 1) assert.ok((notes[i]?.progress ?? 0) > (notes[i - 1]?.progress ?? 0), "progress must increase");
    assert.ok(notes.some((note) => /partial frame/.test(note.message ?? "")), JSON.stringify(notes));
    assert.ok(notes.some((note) => /1\/1 image saved/.test(note.message ?? "")), JSON.stringify(notes));
  });

  test("an image over 1 MB is returned by path and metadata only, not inline", async () => {
    const big = noisyPng(700);
    assert.ok(big.length > 1024 * 1024);
    backend.enqueue({ kind: "images", images: [{ data: big }] });
    const result = (await mcp.client.callTool({ name: "generate_image", arguments: { prompt: "a big one" } })) as CallToolResult;
    const json = structured(result);
    assert.equal(json.images[0]?.bytes, big.length);
    assert.deepEqual(readFileSync(json.images[0]?.path ?? ""), big);
    assert.equal(result.content.filter((block) => block.type === "image").length, 0);
    assert.match(resultText(result), /larger than 1 MB and not shown inline/);
  });

  test("a symlink under a root that points outside it is refused", async () => {
    const outside = makeTempDir("codex-imagen-outside-");
    writeFileSync(join(outside, "secret.png"), backend.defaultImage);
    const link = join(home.home, "link-out");
    symlinkSync(outside, link);
    const sent = backend.generations.length;
    const result = (await mcp.client.callTool({ name: "edit_image", arguments: { prompt: "x", references: [join(link, "secret.png")] } })) as CallToolResult;
    assert.equal(result.isError, true);
    assert.match(resultText(result), /outside the directories this server may use/);
    assert.equal(backend.generations.length, sent);
  });

  test("a long quiet generation still sends progress at least every 10 s", async () => {
    // The backend stays silent until a note arrives that no event caused; 20 s is the give-up.
    let heard!: () => void;
    const timerHeard = new Promise<void>((resolve) => (heard = resolve));
    const giveUp = setTimeout(heard, 20_000);
    backend.enqueue({ kind: "images", answerAfter: timerHeard });
    const notes: Array<{ at: number; message: string }> = [];
    const started = Date.now();
    const result = (await mcp.client.callTool({ name: "generate_image", arguments: { prompt: "slow and silent" } }, undefined, {
      onprogress: ({ message = "" }) => {
        notes.push({ at: Date.now() - started, message });
        // Before the answer, events speak twice: on the call ("starting") and at the run's start ("generating with").
        if (notes.filter((note) => note.message.startsWith("generating with")).length === 2) heard();
      },
      timeout: 30_000,
    })) as CallToolResult;
    clearTimeout(giveUp);
    structured(result);
    const quiet = notes.filter((note) => / 0\/1 image saved/.test(note.message));
    assert.ok(quiet.length >= 3, `no timer-driven progress while the backend was silent: ${JSON.stringify(notes)}`);
    for (let i = 1; i < notes.length; i += 1) assert.ok((notes[i]?.at ?? 0) - (notes[i - 1]?.at ?? 0) < 10_000, JSON.stringify(notes));
  });

  test("keeps tokens out of everything it wrote on stderr", () => {
    assert.match(mcp.stderr(), /MCP server ready/);
    assert.ok(!mcp.stderr().includes(access));
  });
});

interface RawServer {
  /** Sends JSON-RPC messages as they are, one per line. */
  send(...messages: unknown[]): void;
  /** The messages the server wrote on stdout so far. */
  received(): Array<{ id?: number; result?: CallToolResult; error?: unknown }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  child: ReturnType<typeof spawn>;
}

/** The bundle's MCP server spoken to as bytes, so the test decides when stdin closes. */
function rawServer(home: TempHome, args: string[]): RawServer {
  const child = spawn(process.execPath, [BUNDLE, "mcp", ...args], { env: cleanEnv(home), stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
  return {
    send: (...messages) => child.stdin.write(messages.map((message) => `${JSON.stringify(message)}\n`).join("")),
    received: () => stdout.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as ReturnType<RawServer["received"]>[number]),
    exited,
    child,
  };
}

const HELLO = [
  { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw-test", version: "0" } } },
  { jsonrpc: "2.0", method: "notifications/initialized" },
];

const toolCall = (id: number, prompt: string) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "generate_image", arguments: { prompt } } });

describe("codex-imagen mcp when the client closes stdin", () => {
  let backend: FakeBackend;
  let home: TempHome;
  let args: string[];

  before(async () => {
    backend = await startFakeBackend({ oauth: { accountId: ACCOUNT_ID }, latencyMs: 300 });
    home = makeTempHome();
    const authFile = writeCodexAuth(home.codexHome, { access: makeJwt({ expSeconds: 3600, accountId: ACCOUNT_ID }), refresh: "rt_mcp_eof", accountId: ACCOUNT_ID });
    args = ["--base-url", backend.baseUrl, "--refresh-url", backend.refreshUrl, "--auth", authFile, "--out-dir", join(home.home, "out"), "--retries", "0"];
  });

  after(() => backend?.close());

  test("calls sent just before stdin closed are answered, then the server exits 0", async () => {
    const server = rawServer(home, [...args, "--timeout", String(STALL_TIMEOUT_MS / 1000)]);
    const killer = setTimeout(() => server.child.kill("SIGKILL"), STALL_TIMEOUT_MS + SLACK_MS);
    server.send(...HELLO, toolCall(2, "a fox before the end"), toolCall(3, "a whale before the end"));
    server.child.stdin?.end();
    const { code } = await server.exited;
    clearTimeout(killer);
    assert.equal(code, 0);
    const answers = new Map(server.received().map((message) => [message.id, message]));
    for (const id of [2, 3]) {
      const result = answers.get(id)?.result;
      assert.ok(result, `call ${id} was answered: ${JSON.stringify([...answers.keys()])}`);
      for (const image of structured(result).images) assert.ok(existsSync(image.path), image.path);
    }
  });

  test("a signal still stops it at once, however long the calls would take", async () => {
    backend.enqueue({ kind: "stall" });
    const server = rawServer(home, args);
    const killer = setTimeout(() => server.child.kill("SIGKILL"), SLACK_MS);
    const sent = backend.generations.length;
    server.send(...HELLO, toolCall(2, "a call that never ends"));
    server.child.stdin?.end();
    const first = await Promise.race([backend.untilGenerations(sent + 1).then(() => "sent"), server.exited.then(() => "exited")]);
    assert.equal(first, "sent", "the call reached the backend before the server exited");
    server.child.kill("SIGTERM");
    const { code } = await server.exited;
    clearTimeout(killer);
    assert.equal(code, 143);
  });
});

describe("codex-imagen mcp without a login", () => {
  test("--backend mock generates offline; a missing login is a tool error, not a crash", async () => {
    const home = makeTempHome();
    const cwd = makeTempDir("codex-imagen-cwd-");
    const mock = await startMcp(home, ["--backend", "mock"], { env: { OPENCLAW_STATE_DIR: undefined }, cwd });
    const plain = await startMcp(home, []);
    try {
      const result = (await mock.client.callTool({ name: "generate_image", arguments: { prompt: "a mock fox", size: "256x256", count: 2 } })) as CallToolResult;
      const json = structured(result);
      assert.equal(json.backend, "mock");
      assert.equal(json.image_count, 2);
      // The default output dir is in the home directory, not the server's cwd.
      for (const image of json.images) assert.ok(image.path.startsWith(join(home.home, "codex-imagen-output")), image.path);
      assert.deepEqual(listDir(cwd), []);
      const jpeg = (await mock.client.callTool({ name: "generate_image", arguments: { prompt: "x", format: "jpeg" } })) as CallToolResult;
      assert.equal(jpeg.isError, true);
      assert.match(resultText(jpeg), /\(usage\).*PNG only/);

      const missing = (await plain.client.callTool({ name: "generate_image", arguments: { prompt: "x" } })) as CallToolResult;
      assert.equal(missing.isError, true);
      assert.match(resultText(missing), /\(auth_missing\).*codex login/s);
      assert.equal((await plain.client.listTools()).tools.length, 2, "the server still answers");
    } finally {
      await Promise.all([mock.close(), plain.close()]);
    }
  });

  test("exits 0 when the client closes stdin", async () => {
    const home = makeTempHome();
    const child = spawn(process.execPath, [BUNDLE, "mcp", "--backend", "mock"], { env: cleanEnv(home), stdio: ["pipe", "ignore", "ignore"] });
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    clearTimeout(killer);
    assert.equal(code, 0);
  });

  test("mcp --help lists --root; bad flags and a misplaced mcp are usage errors", async () => {
    const help = await runCli(["mcp", "--help"]);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /--root DIR/);
    assert.match(help.stdout, /generate_image/);
    const bad = await runCli(["mcp", "--json"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Unknown flag --json/);
    const words = await runCli(["mcp", "logo"]);
    assert.equal(words.code, 2);
    assert.match(words.stderr, /--prompt/);
    const later = await runCli(["--backend", "mock", "mcp"]);
    assert.equal(later.code, 2);
    assert.match(later.stderr, /--prompt mcp/);
    const prompt = await runCli(["--backend", "mock", "--prompt", "mcp"]);
    assert.equal(prompt.code, 0, prompt.stderr);
    assert.ok(existsSync(prompt.lines()[0] ?? ""));
  });
});
