/** A stand-in for `POST https://auth.openai.com/oauth/token`: single-use refresh tokens, JWT access tokens. */
import { randomBytes } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach } from "node:test";
import { makeJwt } from "./tokens.js";

export type FakeOAuthFailure = "network-500" | "invalid_grant" | "refresh_token_reused" | "refresh_token_expired" | "stall";

export interface FakeOAuth {
  handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void;
  /** Every request, in order, with its parsed body (JSON or form) or null. */
  calls: Array<{ body: Record<string, unknown> | null; contentType: string | undefined }>;
  /** Answer the next `times` (default 1) requests with this failure, whatever their token. */
  failNext(kind: FakeOAuthFailure, times?: number): void;
  /** Mark a refresh token as valid (once: it is rotated on use). */
  addRefreshToken(token: string): void;
  /** Mark a refresh token as already spent (as if another client had used it): it answers `refresh_token_reused`. */
  markUsed(token: string): void;
  /** Whether `token` would be accepted now (issued or added, and not yet used). */
  isValid(token: string): boolean;
  /** Run `hook` when a request arrives, before it is answered (e.g. to change a store "concurrently"). */
  onRequest(hook: ((body: Record<string, unknown> | null) => void | Promise<void>) | undefined): void;
}

export interface FakeOAuthOptions {
  /** Lifetime of issued access tokens (default 3600). */
  expiresInSeconds?: number;
  /** Account id claim of issued access tokens (default `acct-fake-oauth`). */
  accountId?: string;
  /** Answer every request after this long (default 0), so concurrent clients really overlap. */
  responseDelayMs?: number;
}

const CODEX_CLIENT_ID = "app_EMoamEEZ73f0CkXaXp7hrann";

function parseBody(body: Buffer, contentType: string | undefined): Record<string, unknown> | null {
  const text = body.toString("utf8");
  if (contentType?.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
  try {
    const json: unknown = JSON.parse(text);
    return typeof json === "object" && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

const oauthError = (code: string, message: string) => ({ error: { code, message, type: "invalid_request_error" } });

export function createFakeOAuth(options: FakeOAuthOptions = {}): FakeOAuth {
  const expiresIn = options.expiresInSeconds ?? 3600;
  const accountId = options.accountId ?? "acct-fake-oauth";
  const valid = new Set<string>();
  const used = new Set<string>();
  const failures: FakeOAuthFailure[] = [];
  const calls: FakeOAuth["calls"] = [];
  let hook: ((body: Record<string, unknown> | null) => void | Promise<void>) | undefined;

  function fail(res: ServerResponse, kind: FakeOAuthFailure): void {
    if (kind === "network-500") send(res, 500, { error: { code: "server_error", message: "The server had an error." } });
    else if (kind === "invalid_grant") send(res, 400, { error: "invalid_grant", error_description: "Invalid refresh token" });
    else if (kind === "refresh_token_expired") send(res, 401, oauthError("refresh_token_expired", "Your refresh token has expired. Please try signing in again."));
    else if (kind === "stall") return; // never answered: the client times out or is killed
    else send(res, 401, oauthError("refresh_token_reused", "Your refresh token has already been used to generate a new access token. Please try signing in again."));
  }

  return {
    calls,
    failNext(kind, times = 1) {
      for (let i = 0; i < times; i += 1) failures.push(kind);
    },
    addRefreshToken(token) {
      valid.add(token);
    },
    markUsed(token) {
      valid.delete(token);
      used.add(token);
    },
    isValid(token) {
      return valid.has(token);
    },
    onRequest(next) {
      hook = next;
    },
    handle(req, res, raw) {
      const contentType = req.headers["content-type"];
      const body = parseBody(raw, contentType);
      calls.push({ body, contentType });
      const delayMs = options.responseDelayMs ?? 0;
      if (hook === undefined && delayMs === 0) return answer(req, res, body);
      void Promise.resolve(hook?.(body))
        .then(() => new Promise((resolve) => setTimeout(resolve, delayMs)))
        .then(() => answer(req, res, body));
    },
  };

  function answer(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown> | null): void {
    if (req.method !== "POST") return send(res, 405, oauthError("method_not_allowed", "Use POST."));
    const failure = failures.shift();
    if (failure !== undefined) return fail(res, failure);
    if (body?.client_id !== CODEX_CLIENT_ID || body.grant_type !== "refresh_token") {
      return send(res, 400, oauthError("invalid_request", "client_id and grant_type=refresh_token are required."));
    }
    const token = typeof body.refresh_token === "string" ? body.refresh_token : "";
    if (used.has(token)) return fail(res, "refresh_token_reused");
    if (!valid.has(token)) return send(res, 401, oauthError("invalid_grant", "Unknown refresh token."));
    valid.delete(token);
    used.add(token);
    const refresh = `rt_fake_${randomBytes(12).toString("hex")}`;
    valid.add(refresh);
    send(res, 200, {
      access_token: makeJwt({ expSeconds: expiresIn, accountId }),
      refresh_token: refresh,
      id_token: makeJwt({ expSeconds: expiresIn, accountId, email: "user@example.com" }),
      expires_in: expiresIn,
      token_type: "Bearer",
    });
  }
}

/** The fake on its own server (127.0.0.1, random port); `url` is the full token URL for `refreshUrl`. */
export async function startFakeOAuthServer(options?: FakeOAuthOptions): Promise<{ url: string; oauth: FakeOAuth; close(): Promise<void> }> {
  const oauth = createFakeOAuth(options);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if ((req.url ?? "").split("?")[0] === "/oauth/token") oauth.handle(req, res, Buffer.concat(chunks));
      else send(res, 404, { detail: "Not Found" });
    });
  });
  server.keepAliveTimeout = 0; // as in fake-backend.ts: no idle close racing a starved client's next request
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/oauth/token`,
    oauth,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface OAuthTestWorld {
  /** Token URL of the running fake; valid inside tests. */
  readonly url: string;
  readonly oauth: FakeOAuth;
  /** A temp directory for this file's (or block's) credential files; removed afterwards. */
  readonly root: string;
}

/** Starts the fake and a temp dir before the tests of the current file or `describe`, clears recorded calls before each, stops after. */
export function useFakeOAuthServer(options: FakeOAuthOptions & { tempPrefix: string }): OAuthTestWorld {
  let server: Awaited<ReturnType<typeof startFakeOAuthServer>> | undefined;
  let root: string | undefined;
  before(async () => {
    server = await startFakeOAuthServer(options);
    root = await mkdtemp(join(tmpdir(), options.tempPrefix));
  });
  after(async () => {
    await server?.close();
    if (root !== undefined) await rm(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    if (server !== undefined) server.oauth.calls.length = 0;
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("useFakeOAuthServer: used outside a test");
    return value;
  };
  return {
    get url() {
      return started(server).url;
    },
    get oauth() {
      return started(server).oauth;
    },
    get root() {
      return started(root);
    },
  };
}
