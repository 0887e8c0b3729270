/** `codex-imagen serve` from the built bundle against the fake backend, with the official `openai` SDK as its client. */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import http from "node:http";
import type { TestContext } from "node:test";
import OpenAI from "openai";
import { ACCOUNT_ID } from "./cli-fixture.js";
import { startFakeBackend, type FakeBackend, type FakeBackendOptions } from "./fake-backend.js";
import { BUNDLE, cleanEnv, makeTempHome, type TempHome } from "./run-cli.js";
import { makeJwt, writeCodexAuth } from "./tokens.js";

const LOG_WAIT_MS = 60_000;

export interface ServeProcess {
  /** The URL the server printed: the API's base `http://127.0.0.1:<port>/v1` (serve) or its page `http://127.0.0.1:<port>/` (studio). */
  url: string;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves with the first stderr line matching `pattern` (already written or still to come); rejects after a minute. */
  waitForLog(pattern: RegExp): Promise<string>;
  /** Resolves once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (default SIGTERM) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartServeOptions {
  home?: TempHome;
  env?: Record<string, string | undefined>;
  /** The server door to start (default `serve`); `studio` prints its page's URL instead of the API's. */
  door?: "serve" | "studio";
  /** Leave out `--port 0`, so the server tries its default port. */
  defaultPort?: boolean;
}

/** Starts `codex-imagen serve --port 0 ...args` (or another server door) and resolves once it printed its URL; rejects with its stderr if it exits first. */
export async function startServe(args: string[], options: StartServeOptions = {}): Promise<ServeProcess> {
  const home = options.home ?? makeTempHome();
  const door = options.door ?? "serve";
  const child = spawn(process.execPath, [BUNDLE, door, ...(options.defaultPort ? [] : ["--port", "0"]), ...args], { cwd: home.home, env: cleanEnv(home, options.env), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const check = (): void => {
    for (const waiter of [...waiters]) {
      const line = stderr.split("\n").find((candidate) => waiter.pattern.test(candidate));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
    check();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      if (stdout.includes("\n")) resolve(stdout.split("\n")[0] ?? "");
    });
    void exited.then(({ code }) => reject(new Error(`${door} exited with ${String(code)} before it was ready:\n${stderr}`)));
  });
  const server: ServeProcess = {
    url,
    origin: new URL(url).origin,
    child,
    stderr: () => stderr,
    waitForLog: (pattern) =>
      new Promise((resolve, reject) => {
        // A bound far beyond any wait here, so a missing line fails the test instead of hanging the suite.
        const timer = setTimeout(() => reject(new Error(`no log line matched ${pattern} within ${LOG_WAIT_MS / 1000} s; stderr:\n${stderr}`)), LOG_WAIT_MS);
        waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
        check();
      }),
    exited,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  return server;
}

/** The official SDK pointed at `server`; no retries, so each call is exactly one request. */
export function openaiClient(server: ServeProcess, apiKey = "any-key-works-on-loopback"): OpenAI {
  return new OpenAI({ baseURL: server.url, apiKey, maxRetries: 0 });
}

export interface ServeFixture {
  backend: FakeBackend;
  home: TempHome;
  authFile: string;
  access: string;
  refresh: string;
  server: ServeProcess;
  /** Every token the fake backend and OAuth saw or issued so far. */
  secrets(): string[];
  /** Stops the server (SIGTERM) and the fake backend. */
  close(): Promise<void>;
}

export interface ServeFixtureOptions extends FakeBackendOptions {
  /** Seconds until the stored access token expires (default one hour; negative = already expired). */
  expiresIn?: number;
  /** Extra `serve` flags (the fixture adds --base-url, --refresh-url, --auth). */
  args?: string[];
  env?: Record<string, string | undefined>;
  door?: StartServeOptions["door"];
}

/** A fake backend, a temp HOME with a Codex login, and `serve` using both; `t` stops them after the test (a suite calls `close()`). */
export async function setupServe(t: TestContext | undefined, options: ServeFixtureOptions = {}): Promise<ServeFixture> {
  const backend = await startFakeBackend({ oauth: { accountId: ACCOUNT_ID }, ...options });
  const home = makeTempHome();
  const access = makeJwt({ expSeconds: options.expiresIn ?? 3600, accountId: ACCOUNT_ID });
  const refresh = `rt_serve_${randomBytes(12).toString("hex")}`;
  backend.oauth.addRefreshToken(refresh);
  const authFile = writeCodexAuth(home.codexHome, { access, refresh, accountId: ACCOUNT_ID });
  const server = await startServe(["--base-url", backend.baseUrl, "--refresh-url", backend.refreshUrl, "--auth", authFile, ...(options.args ?? [])], {
    home,
    env: options.env,
    door: options.door,
  });
  const secrets = (): string[] => {
    const found = [access, refresh];
    for (const request of backend.requests) {
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
      if (bearer !== undefined) found.push(bearer);
    }
    for (const call of backend.oauth.calls) if (typeof call.body?.refresh_token === "string") found.push(call.body.refresh_token);
    return found;
  };
  const close = async (): Promise<void> => {
    await server.stop();
    await backend.close();
  };
  t?.after(close);
  return { backend, home, authFile, access, refresh, server, secrets, close };
}

/** No token and no credential path in `text` (an answer or the server's log). */
export function assertNoCredentials(text: string, fixture: ServeFixture): void {
  for (const secret of new Set(fixture.secrets())) assert.ok(!text.includes(secret), "a token leaked");
  assert.ok(!text.includes(fixture.authFile), "the credential file's path leaked");
  assert.ok(!text.includes(fixture.home.codexHome), "the credential directory leaked");
}

/** Waits for the next image request to reach the fake backend. */
export async function nextGeneration(backend: FakeBackend): Promise<void> {
  await once(backend.events, "generation");
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  method?: string;
  /** Sent as it is: no URL normalisation. */
  path: string;
  /** May include `host`, which then replaces the one the address gives. */
  headers?: Record<string, string>;
  body?: Buffer;
  /** Announced as content-length; the body is then left unfinished (only `body`, if any, is sent). */
  declaredLength?: number;
}

/**
 * A request with a raw path and headers, whose body may be announced but never sent: an answer to such a request
 * proves the server did not wait for its body. Rejects if no answer arrives within a minute.
 */
export function rawRequest(origin: string, options: RawRequest): Promise<RawAnswer> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const request = http.request({
      hostname: hostname.replace(/^\[(.*)\]$/, "$1"),
      port,
      method: options.method ?? "POST",
      path: options.path,
      headers: { ...options.headers, ...(options.declaredLength !== undefined && { "content-length": String(options.declaredLength) }) },
      timeout: LOG_WAIT_MS,
    });
    request.on("timeout", () => {
      request.destroy();
      reject(new Error(`no answer to ${options.method ?? "POST"} ${options.path} within ${LOG_WAIT_MS / 1000} s`));
    });
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") });
        request.destroy();
      });
    });
    // The server may answer and close before the whole announced body is sent.
    request.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" || error.code === "EPIPE" ? undefined : reject(error)));
    if (options.body !== undefined) request.write(options.body);
    if (options.declaredLength === undefined) request.end();
    else request.flushHeaders();
  });
}

export const errorOf = (answer: RawAnswer): { message: string; type: string; param: string | null; code: string | null } =>
  (JSON.parse(answer.body) as { error: { message: string; type: string; param: string | null; code: string | null } }).error;
