import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { beforeEach, describe, it } from "node:test";
import { openAuthSession } from "../../src/auth/index.js";
import { AuthError } from "../../src/errors.js";
import type { AuthOptions } from "../../src/options.js";
import { useFakeOAuthServer } from "../support/fake-oauth.js";
import { FAILED_FENCE } from "../support/sqlite-store.js";
import { makeJwt, writeCodexAuth, writeOpenClawProfiles, type TestProfile } from "../support/tokens.js";

const signal = new AbortController().signal;
const world = useFakeOAuthServer({ accountId: "acct-1", tempPrefix: "auth-fall-through-" });
let n = 0;
beforeEach(() => world.oauth.onRequest(undefined));

/** A port nothing listens on: taken from the OS, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface World {
  home: string;
  openclawPath: string;
  codexPath: string;
  codexAccess: string;
  /** Every token written to either store, none of which may appear in a message. */
  secrets: string[];
  options(extra?: Partial<AuthOptions>): AuthOptions;
}

/**
 * The machine: an OpenClaw state dir whose configured profile lacks an account id and whose
 * other profile (`other`) is expired, next to a fresh Codex auth.json for `codexAccount`.
 */
function machine(other: Partial<TestProfile> | undefined, codexAccount = "acct-1"): World {
  const home = join(world.root, String((n += 1)));
  const state = join(home, "state");
  const secrets: string[] = [];
  const secret = (token: string): string => (secrets.push(token), token);
  const profiles: Record<string, TestProfile> = {
    "openai-codex:configured": { access: secret(makeJwt({ expSeconds: 3600 })), refresh: secret(`rt-configured-${n}`) },
  };
  if (other !== undefined) {
    const refresh = secret(`rt-other-${n}`);
    world.oauth.addRefreshToken(refresh);
    profiles["openai-codex:other"] = { access: secret(makeJwt({ expSeconds: -60, accountId: "acct-1" })), refresh, accountId: "acct-1", ...other };
  }
  const openclawPath = writeOpenClawProfiles(join(state, "agents", "main", "agent"), profiles);
  writeFileSync(join(state, "openclaw.json"), JSON.stringify({ auth: { order: { "openai-codex": ["openai-codex:configured"] } } }));
  const codexAccess = secret(makeJwt({ expSeconds: 3600, accountId: codexAccount }));
  const codexPath = writeCodexAuth(join(home, "codex"), { access: codexAccess, refresh: secret(`rt-codex-${n}`), accountId: codexAccount });
  return {
    home,
    openclawPath,
    codexPath,
    codexAccess,
    secrets,
    options: (extra = {}) => ({
      refreshMode: "auto",
      refreshUrl: world.url,
      env: { OPENCLAW_STATE_DIR: state, CODEX_HOME: join(home, "codex") },
      homeDir: home,
      ...extra,
    }),
  };
}

function assertNoSecrets(text: string, w: World): void {
  for (const token of w.secrets) assert.ok(!text.includes(token), `a token leaked: ${text}`);
}

interface Case {
  name: string;
  /** The expired profile beside the unusable configured one; undefined: none. */
  other?: Partial<TestProfile>;
  arrange?: () => void;
  refreshUrl?: () => Promise<string>;
  /** What the warning says about the skipped store. */
  reason: RegExp;
  /** Token endpoint calls the failing source makes. */
  calls: number;
}

const CASES: Case[] = [
  { name: "no account id", reason: /has no usable OpenAI OAuth profile: "openai-codex:configured" has no ChatGPT account id/, calls: 0 },
  {
    name: "a failed OpenClaw refresh fence",
    other: { access: FAILED_FENCE("c1", "access"), refresh: FAILED_FENCE("c1", "refresh"), expires: 1 },
    reason: /holds a failed OpenClaw refresh/,
    calls: 0,
  },
  { name: "400 invalid_grant", other: {}, arrange: () => world.oauth.failNext("invalid_grant"), reason: /refresh token was rejected \(invalid_grant, HTTP 400\)/, calls: 1 },
  { name: "401 refresh_token_expired", other: {}, arrange: () => world.oauth.failNext("refresh_token_expired"), reason: /refresh_token_expired, HTTP 401/, calls: 1 },
  { name: "401 refresh_token_reused beyond recovery", other: {}, arrange: () => world.oauth.failNext("refresh_token_reused"), reason: /refresh_token_reused, HTTP 401/, calls: 1 },
  {
    name: "an unreachable token endpoint",
    other: {},
    refreshUrl: async () => `http://127.0.0.1:${await closedPort()}/oauth/token`,
    reason: /could not reach the token endpoint/,
    calls: 0,
  },
  { name: "5xx after retries", other: {}, arrange: () => world.oauth.failNext("network-500", 3), reason: /token refresh failed \(server_error, HTTP 500\)/, calls: 3 },
];

describe("fall-through: an auto-discovered login that cannot be made usable gives way to the next one of the same account", () => {
  for (const c of CASES) {
    it(`${c.name}: the Codex login is used, a warning names the skipped store, which is byte-for-byte unchanged`, async () => {
      const w = machine(c.other);
      c.arrange?.();
      const before = await readFile(w.openclawPath);
      const codexBefore = await readFile(w.codexPath);
      const warnings: string[] = [];
      const refreshUrl = c.refreshUrl === undefined ? world.url : await c.refreshUrl();
      const session = await openAuthSession(w.options({ refreshUrl }), signal, (message) => warnings.push(message));

      assert.equal(session.credential.path, w.codexPath);
      assert.equal(session.credential.accessToken, w.codexAccess);
      assert.equal(world.oauth.calls.length, c.calls);
      assert.equal(warnings.length, 1, warnings.join("\n"));
      const [warning = ""] = warnings;
      assert.ok(warning.startsWith(`Skipped ${w.openclawPath} (OpenClaw main agent): it `), warning);
      assert.match(warning, c.reason);
      assert.ok(warning.endsWith(`Using ${w.codexPath} ($CODEX_HOME) instead.`), warning);
      assertNoSecrets(warning, w);
      assert.deepEqual(await readFile(w.openclawPath), before);
      assert.deepEqual(await readFile(w.codexPath), codexBefore);
    });
  }

  it("identity mismatch: a login of another account never takes over; the first failure stands and both stores are unchanged", async () => {
    const w = machine({}, "acct-2");
    world.oauth.failNext("invalid_grant");
    const before = await readFile(w.openclawPath);
    const codexBefore = await readFile(w.codexPath);
    const warnings: string[] = [];
    await assert.rejects(openAuthSession(w.options(), signal, (message) => warnings.push(message)), (e: unknown) => {
      assert.ok(e instanceof AuthError);
      assert.equal(e.code, "auth_expired");
      assert.match(e.message, /invalid_grant, HTTP 400.*`openclaw models auth login --provider openai-codex`/);
      assertNoSecrets(e.message, w);
      return true;
    });
    assert.deepEqual(warnings, []);
    assert.deepEqual(await readFile(w.openclawPath), before);
    assert.deepEqual(await readFile(w.codexPath), codexBefore);
  });

  it("no later source at all: the first source's own error stands (not 'no login found')", async () => {
    const w = machine({});
    world.oauth.failNext("network-500", 3);
    await rm(w.codexPath);
    await assert.rejects(openAuthSession(w.options(), signal), (e: unknown) => {
      assert.ok(e instanceof AuthError);
      assert.equal(e.code, "auth_refresh_failed");
      assert.match(e.message, /token refresh failed \(server_error, HTTP 500\); try again shortly/);
      return true;
    });
  });

  it("--auth is never passed over: its refresh failure is the error even with a usable Codex login beside it", async () => {
    const w = machine({});
    world.oauth.failNext("invalid_grant");
    const before = await readFile(w.openclawPath);
    await assert.rejects(openAuthSession(w.options({ authFile: w.openclawPath }), signal), (e: unknown) => {
      assert.ok(e instanceof AuthError);
      assert.equal(e.code, "auth_expired");
      assert.match(e.message, /invalid_grant/);
      return true;
    });
    assert.deepEqual(await readFile(w.openclawPath), before);
  });
});
