/** One e2e test's world: a fake backend, a temp HOME with a Codex login, and a runner that checks for token leaks. */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { startFakeBackend, type FakeBackend, type FakeBackendOptions } from "./fake-backend.js";
import { makeTempHome, runCli, type CliRun, type RunOptions, type TempHome } from "./run-cli.js";
import { makeJwt, writeCodexAuth } from "./tokens.js";

export const ACCOUNT_ID = "acct-e2e-0001";

export interface CliFixture {
  backend: FakeBackend;
  home: TempHome;
  /** The Codex `auth.json` written for this test (under CODEX_HOME). */
  authFile: string;
  access: string;
  refresh: string;
  /** `--base-url` and `--refresh-url`, pointing at the fake backend. */
  baseArgs: string[];
  /** A not-yet-created output dir inside HOME. */
  outDir: string;
  /** Runs the CLI with `baseArgs` and `--auth` first; fails the test when a token shows up in its output. */
  run(args: string[], options?: FixtureRunOptions): Promise<CliRun>;
}

export interface FixtureRunOptions extends RunOptions {
  /** Pass `--auth <authFile>` (default true); false leaves discovery to the CLI. */
  auth?: boolean;
}

export interface FixtureOptions extends FakeBackendOptions {
  /** Seconds until the access token expires (default one hour; negative = already expired). */
  expiresIn?: number;
}

export async function setupCli(t: TestContext, options: FixtureOptions = {}): Promise<CliFixture> {
  const backend = await startFakeBackend({ oauth: { accountId: ACCOUNT_ID }, ...options });
  t.after(() => backend.close());
  const home = makeTempHome();
  const access = makeJwt({ expSeconds: options.expiresIn ?? 3600, accountId: ACCOUNT_ID });
  const refresh = `rt_e2e_${randomBytes(12).toString("hex")}`;
  backend.oauth.addRefreshToken(refresh);
  const authFile = writeCodexAuth(home.codexHome, { access, refresh, accountId: ACCOUNT_ID });
  const baseArgs = ["--base-url", backend.baseUrl, "--refresh-url", backend.refreshUrl];
  return {
    backend,
    home,
    authFile,
    access,
    refresh,
    baseArgs,
    outDir: join(home.home, "out"),
    run: async (args, { auth = true, ...runOptions } = {}) => {
      const result = await runCli([...baseArgs, ...(auth ? ["--auth", authFile] : []), ...args], { home, ...runOptions });
      assertNoSecrets(result, [access, refresh, ...secretsIn(backend, authFile)]);
      return result;
    },
  };
}

const TOKEN_KEY = /^(access|refresh)(_token|Token)?$|^id(_token|Token)$/;

/** Every token the run could have seen: bearers sent, refresh tokens posted, tokens now in the auth file. */
function secretsIn(backend: FakeBackend, authFile: string): string[] {
  const found: string[] = [];
  const walk = (value: unknown, key = ""): void => {
    if (typeof value === "string" && TOKEN_KEY.test(key) && value.length >= 16) found.push(value);
    else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  for (const request of backend.requests) {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    if (bearer !== undefined) found.push(bearer);
    walk(request.body);
    walk(Object.fromEntries(new URLSearchParams(request.raw.toString("utf8"))));
  }
  if (existsSync(authFile)) walk(JSON.parse(readFileSync(authFile, "utf8")) as unknown);
  return found;
}

/** Tokens must never reach stdout or stderr. */
export function assertNoSecrets(run: CliRun, secrets: string[]): void {
  for (const secret of new Set(secrets)) {
    assert.ok(!run.stdout.includes(secret), "a token leaked to stdout");
    assert.ok(!run.stderr.includes(secret), "a token leaked to stderr");
  }
}

/** Every entry of a dir (dotfiles included, so leftover temp files count); [] when it does not exist. */
export function listDir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

export function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Width and height from a PNG's IHDR, after checking the signature. */
export function pngSize(data: Buffer): { width: number; height: number } {
  assert.ok(data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), "not a PNG");
  assert.equal(data.toString("latin1", 12, 16), "IHDR");
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/** A usage error: exit 2, nothing on stdout, a short message on stderr, no stack trace. */
export function assertUsageError(run: CliRun, pattern?: RegExp): void {
  assert.equal(run.code, 2, `expected exit 2, got ${String(run.code)}; stderr: ${run.stderr}`);
  assert.equal(run.stdout, "");
  const lines = run.stderr.split(/\r?\n/).filter((line) => line.trim().length > 0);
  assert.ok(lines.length >= 1 && lines.length <= 2, `expected a one- or two-line error, got:\n${run.stderr}`);
  assert.doesNotMatch(run.stderr, /^\s+at /m, "stack trace on stderr");
  if (pattern !== undefined) assert.match(run.stderr, pattern);
}

/** The parts of a generation request body the tests look at. */
export interface RequestBody {
  model: string;
  instructions?: unknown;
  input: Array<{ type?: string; role?: string; content: ContentItem[] }>;
  tools: Array<Record<string, unknown>>;
  tool_choice?: unknown;
  stream?: unknown;
  store?: unknown;
}

export interface ContentItem {
  type: string;
  text?: string;
  image_url?: string;
  detail?: string;
}

/** The generation request body number `index` (default the first). */
export function requestBody(backend: FakeBackend, index = 0): RequestBody {
  const request = backend.generations[index];
  assert.ok(request !== undefined, `no generation request #${index}`);
  return request.body as RequestBody;
}

/** All content items of the user message(s), in order. */
export function contentItems(body: RequestBody): ContentItem[] {
  return body.input.flatMap((message) => message.content);
}

/** The text the model receives as the prompt: the last `input_text`. */
export function promptText(body: RequestBody): string | undefined {
  return contentItems(body).filter((item) => item.type === "input_text").at(-1)?.text;
}
