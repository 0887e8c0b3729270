import assert from "node:assert/strict";
import { chmod, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createSharedAuth, openAuthSession, refreshOnly, smokeSummary } from "../../src/auth/index.js";
import { decodeJwtClaims } from "../../src/auth/jwt.js";
import { AuthError } from "../../src/errors.js";
import type { AuthOptions } from "../../src/options.js";
import { useFakeOAuthServer } from "../support/fake-oauth.js";
import { makeJwt, writeCodexAuth, writeOpenClawProfiles } from "../support/tokens.js";

const signal = new AbortController().signal;
const world = useFakeOAuthServer({ accountId: "acct-issued", tempPrefix: "auth-session-" });
let n = 0;

interface Login {
  path: string;
  access: string;
  refresh: string;
  options(extra?: Partial<AuthOptions>): AuthOptions;
}

/** A Codex login (or an OpenClaw one) whose access token expires in `expSeconds`. */
function login(expSeconds: number, kind: "codex" | "openclaw" = "codex"): Login {
  const dir = join(world.root, String((n += 1)));
  const access = makeJwt({ expSeconds, accountId: "acct-1" });
  const refresh = `rt-secret-${n}-${Math.random().toString(36).slice(2)}`;
  world.oauth.addRefreshToken(refresh);
  const path =
    kind === "codex"
      ? writeCodexAuth(dir, { access, refresh, accountId: "acct-1" })
      : writeOpenClawProfiles(dir, { "openai-codex:default": { access, refresh, accountId: "acct-1", email: "a@example.com" } });
  return {
    path,
    access,
    refresh,
    options: (extra = {}) => ({ authFile: path, refreshMode: "auto", refreshUrl: world.url, env: {}, homeDir: world.root, ...extra }),
  };
}

function assertNoTokens(text: string, ...tokens: string[]): void {
  for (const token of tokens) assert.ok(!text.includes(token), `token leaked: ${text}`);
}

describe("openAuthSession", () => {
  it("uses a fresh token as is: no refresh, no report", async () => {
    const l = login(3600);
    const session = await openAuthSession(l.options(), signal);
    assert.equal(session.credential.accessToken, l.access);
    assert.equal(session.credential.accountId, "acct-1");
    assert.equal(session.credential.format, "codex-auth-json");
    assert.equal(session.refreshReport, undefined);
    assert.equal(world.oauth.calls.length, 0);
  });

  it("refreshes a token expiring within 5 minutes: JSON grant, write-back keeps mode, report says so", async () => {
    const l = login(120);
    await chmod(l.path, 0o640);
    const before = JSON.parse(await readFile(l.path, "utf8")) as Record<string, unknown>;
    const session = await openAuthSession(l.options(), signal);

    assert.deepEqual(world.oauth.calls.map((c) => [c.contentType, c.body]), [
      ["application/json", { client_id: "app_EMoamEEZ73f0CkXaXp7hrann", grant_type: "refresh_token", refresh_token: l.refresh }],
    ]);
    assert.notEqual(session.credential.accessToken, l.access);
    const after = JSON.parse(await readFile(l.path, "utf8")) as { tokens: Record<string, string>; last_refresh: string };
    assert.equal(after.tokens.access_token, session.credential.accessToken);
    assert.notEqual(after.tokens.refresh_token, l.refresh);
    assert.equal(after.tokens.account_id, "acct-1");
    assert.equal((after as unknown as Record<string, unknown>).auth_mode, before.auth_mode);
    assert.match(after.last_refresh, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal((await stat(l.path)).mode & 0o777, 0o640);
    assert.deepEqual(session.refreshReport && { ...session.refreshReport, access_token_expires_in_seconds: 0 }, {
      refreshed: true,
      skipped: null,
      last_refresh: after.last_refresh,
      access_token_expires_in_seconds: 0,
    });
    assert.ok((session.refreshReport?.access_token_expires_in_seconds ?? 0) > 3000);
  });

  it("--force-refresh refreshes a fresh token; --no-refresh never calls the endpoint", async () => {
    const l = login(3600);
    await openAuthSession(l.options({ refreshMode: "never" }), signal);
    assert.equal(world.oauth.calls.length, 0);
    const session = await openAuthSession(l.options({ refreshMode: "force" }), signal);
    assert.equal(world.oauth.calls.length, 1);
    assert.equal(session.refreshReport?.refreshed, true);
  });

  it("--no-refresh with a token valid for a few minutes uses it and reports the skip", async () => {
    const l = login(120);
    const session = await openAuthSession(l.options({ refreshMode: "never" }), signal);
    assert.equal(session.credential.accessToken, l.access);
    assert.equal(session.refreshReport?.skipped, "--no-refresh");
    assert.equal(world.oauth.calls.length, 0);
  });

  it("--no-refresh with an expired token: auth_expired naming --no-refresh", async () => {
    const l = login(-60);
    await assert.rejects(openAuthSession(l.options({ refreshMode: "never" }), signal), (e: unknown) => {
      assert.ok(e instanceof AuthError && e.code === "auth_expired");
      assert.match(e.message, /--no-refresh/);
      return true;
    });
    assert.equal(world.oauth.calls.length, 0);
  });

  for (const [name, arrange] of [
    ["HTTP 500 three times", () => world.oauth.failNext("network-500", 3)],
    ["an unreachable endpoint", () => undefined],
  ] as const) {
    it(`a transient failure (${name}) is retryable auth_refresh_failed and leaves the file byte-for-byte`, async () => {
      const l = login(-60);
      arrange();
      const bytes = await readFile(l.path);
      const options = name === "an unreachable endpoint" ? l.options({ refreshUrl: "http://127.0.0.1:9/oauth/token" }) : l.options();
      await assert.rejects(openAuthSession(options, signal), (e: unknown) => {
        assert.ok(e instanceof AuthError);
        assert.equal(e.code, "auth_refresh_failed");
        assert.equal(e.retryable, true);
        assertNoTokens(e.message, l.access, l.refresh);
        return true;
      });
      assert.deepEqual(await readFile(l.path), bytes);
    });
  }

  it("a token endpoint that answers 5xx once is asked again: the refresh succeeds", async () => {
    const l = login(-60);
    world.oauth.failNext("network-500");
    const session = await openAuthSession(l.options(), signal);
    assert.equal(world.oauth.calls.length, 2);
    assert.equal(session.refreshReport?.refreshed, true);
  });

  for (const [kind, command] of [
    ["codex", "`codex login`"],
    ["openclaw", "`openclaw models auth login --provider openai-codex`"],
  ] as const) {
    it(`invalid_grant → auth_expired telling to run ${command}; file unchanged`, async () => {
      const l = login(-60, kind);
      world.oauth.failNext("invalid_grant");
      const bytes = await readFile(l.path);
      await assert.rejects(openAuthSession(l.options(), signal), (e: unknown) => {
        assert.ok(e instanceof AuthError);
        assert.equal(e.code, "auth_expired");
        assert.ok(e.message.includes(command), e.message);
        assert.match(e.message, /invalid_grant/);
        assertNoTokens(e.message, l.access, l.refresh);
        return true;
      });
      assert.deepEqual(await readFile(l.path), bytes);
    });
  }

  it("a refresh token already used elsewhere → auth_expired without leaking it", async () => {
    const l = login(-60);
    world.oauth.failNext("refresh_token_reused");
    await assert.rejects(openAuthSession(l.options(), signal), (e: unknown) => {
      assert.ok(e instanceof AuthError && e.code === "auth_expired");
      assert.match(e.message, /refresh_token_reused/);
      assertNoTokens(e.message, l.refresh);
      return true;
    });
  });

  it("OpenClaw profile refresh writes expires (ms) and leaves the other profile alone", async () => {
    const l = login(60, "openclaw");
    const session = await openAuthSession(l.options(), signal);
    const json = JSON.parse(await readFile(l.path, "utf8")) as { profiles: Record<string, { access: string; expires: number; email: string }> };
    const profile = json.profiles["openai-codex:default"]!;
    assert.equal(profile.access, session.credential.accessToken);
    assert.equal(profile.expires, decodeJwtClaims(profile.access).expiresAtMs);
    assert.equal(profile.email, "a@example.com");
    assert.equal(session.credential.profileId, "openai-codex:default");
    assert.equal(session.refreshReport?.refreshed, true);
    assert.ok(session.refreshReport?.last_refresh);
  });
});

describe("refreshAfterUnauthorized", () => {
  it("refreshes once; a second 401 means logging in again", async () => {
    const l = login(3600);
    const session = await openAuthSession(l.options(), signal);
    const renewed = await session.refreshAfterUnauthorized(signal);
    assert.notEqual(renewed.accessToken, l.access);
    assert.equal(session.credential.accessToken, renewed.accessToken);
    assert.equal(session.refreshReport?.refreshed, true);
    assert.equal(world.oauth.calls.length, 1);
    await assert.rejects(session.refreshAfterUnauthorized(signal), (e: unknown) => e instanceof AuthError && e.code === "auth_expired" && /codex login/.test(e.message));
    assert.equal(world.oauth.calls.length, 1);
  });

  it("parallel 401s share one refresh", async () => {
    const l = login(3600);
    const session = await openAuthSession(l.options(), signal);
    const all = await Promise.all([1, 2, 3].map(() => session.refreshAfterUnauthorized(signal)));
    assert.equal(new Set(all.map((c) => c.accessToken)).size, 1);
    assert.equal(world.oauth.calls.length, 1);
  });

  it("with --no-refresh it fails at once, naming the flag", async () => {
    const l = login(3600);
    const session = await openAuthSession(l.options({ refreshMode: "never" }), signal);
    await assert.rejects(session.refreshAfterUnauthorized(signal), /--no-refresh/);
    assert.equal(world.oauth.calls.length, 0);
  });
});

describe("smokeSummary", () => {
  const extras = { endpoint: "https://example.test/codex/responses", model: "gpt-5.5", out_dir: "/out", retries: 4, timeout_seconds: 300 };

  it("has exactly the spec fields and does not refresh an expired token", async () => {
    const l = login(-60, "openclaw");
    const { summary } = await smokeSummary(l.options(), extras);
    assert.deepEqual(Object.keys(summary).sort(), [
      "access_token_expires_in_seconds",
      "account_id",
      "auth_format",
      "auth_path",
      "email",
      "endpoint",
      "last_refresh",
      "model",
      "out_dir",
      "profile_id",
      "provider",
      "refresh_token_present",
      "retries",
      "timeout_seconds",
    ]);
    assert.equal(summary.auth_path, l.path);
    assert.equal(summary.auth_format, "openclaw-auth-profiles");
    assert.equal(summary.profile_id, "openai-codex:default");
    assert.equal(summary.provider, "openai-codex");
    assert.equal(summary.email, "a@example.com");
    assert.equal(summary.refresh_token_present, true);
    assert.ok((summary.access_token_expires_in_seconds as number) < 0);
    assert.equal(world.oauth.calls.length, 0);
    assertNoTokens(JSON.stringify(summary), l.access, l.refresh);
  });

  it("refreshes with --force-refresh", async () => {
    const l = login(3600);
    const { summary } = await smokeSummary(l.options({ refreshMode: "force" }), extras);
    assert.equal(world.oauth.calls.length, 1);
    assert.ok((summary.access_token_expires_in_seconds as number) > 3000);
  });

  it("warns when the credential file is readable by others", async () => {
    const l = login(3600);
    await chmod(l.path, 0o644);
    const { summary } = await smokeSummary(l.options(), extras);
    assert.deepEqual(summary.warnings, [`${l.path} is readable by other users (mode 644); run: chmod 600 ${l.path}`]);
  });

  it("does not warn about a file that others can only write, or nobody else can touch", async () => {
    const l = login(3600);
    for (const mode of [0o600, 0o622]) {
      await chmod(l.path, mode);
      assert.equal((await smokeSummary(l.options(), extras)).summary.warnings, undefined, mode.toString(8));
    }
  });
});

describe("refreshOnly", () => {
  it("skips a token that is still valid", async () => {
    const l = login(3600);
    const out = await refreshOnly(l.options(), signal);
    assert.deepEqual({ ...out, access_token_expires_in_seconds: null }, {
      auth_path: l.path,
      refreshed: false,
      skipped: "access token still valid",
      profile_id: null,
      account_id: "acct-1",
      access_token_expires_in_seconds: null,
    });
    assert.equal(world.oauth.calls.length, 0);
  });

  it("refreshes an expiring token, and any token with --force-refresh", async () => {
    const l = login(30);
    assert.equal((await refreshOnly(l.options(), signal)).refreshed, true);
    const forced = await refreshOnly(l.options({ refreshMode: "force" }), signal);
    assert.equal(forced.refreshed, true);
    assert.equal(forced.skipped, null);
    assert.equal(world.oauth.calls.length, 2);
  });
});

describe("createSharedAuth", () => {
  it("many runs starting together on an expired login share one refresh and one credential", async () => {
    const l = login(-60);
    const shared = createSharedAuth(l.options(), signal);
    const sessions = await Promise.all(Array.from({ length: 8 }, () => shared.session(signal)));
    assert.equal(world.oauth.calls.length, 1);
    assert.equal(new Set(sessions.map((s) => s.credential.accessToken)).size, 1);
    assert.notEqual(sessions[0]?.credential.accessToken, l.access);
  });

  it("a missing login is each run's error, and a login made later is picked up without a new session", async () => {
    const l = login(3600);
    const dir = join(world.root, "later");
    const path = join(dir, "auth.json");
    const shared = createSharedAuth(l.options({ authFile: path }), signal);
    await assert.rejects(shared.session(signal), (e: unknown) => e instanceof AuthError);
    writeCodexAuth(dir, { access: l.access, refresh: l.refresh, accountId: "acct-1" });
    assert.equal((await shared.session(signal)).credential.accessToken, l.access);
  });

  it("one caller's abort rejects only its own wait, never the open the others share", async () => {
    const l = login(-60);
    world.oauth.onRequest(() => new Promise((resolve) => setTimeout(resolve, 50)));
    const shared = createSharedAuth(l.options(), signal);
    const impatient = new AbortController();
    const first = shared.session(impatient.signal);
    const second = shared.session(signal);
    impatient.abort(new Error("gone"));
    await assert.rejects(first, /gone/);
    assert.notEqual((await second).credential.accessToken, l.access);
    assert.equal(world.oauth.calls.length, 1);
    world.oauth.onRequest(undefined);
  });
});

describe("createSharedAuth with short-lived tokens", () => {
  // Issued tokens live 200 s, inside the 5-minute refresh margin: every run finds the shared one expiring.
  const shortLived = useFakeOAuthServer({ accountId: "acct-1", expiresInSeconds: 200, tempPrefix: "auth-shared-" });

  it("reopens (and refreshes) a session whose token nears expiry, instead of handing it out", async () => {
    const refresh = "rt-short-lived";
    shortLived.oauth.addRefreshToken(refresh);
    const path = writeCodexAuth(shortLived.root, { access: makeJwt({ expSeconds: -60, accountId: "acct-1" }), refresh, accountId: "acct-1" });
    const options: AuthOptions = { authFile: path, refreshMode: "auto", refreshUrl: shortLived.url, env: {}, homeDir: shortLived.root };
    const shared = createSharedAuth(options, signal);
    const first = await shared.session(signal);
    const second = await shared.session(signal);
    assert.equal(shortLived.oauth.calls.length, 2);
    assert.notEqual(second.credential.accessToken, first.credential.accessToken);
  });
});
