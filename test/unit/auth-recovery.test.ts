import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeEach, describe, it } from "node:test";
import { openAuthSession, refreshOnly } from "../../src/auth/index.js";
import { AuthError } from "../../src/errors.js";
import type { AuthOptions } from "../../src/options.js";
import { useFakeOAuthServer } from "../support/fake-oauth.js";
import { makeJwt, writeCodexAuth, writeOpenClawProfiles } from "../support/tokens.js";

const signal = new AbortController().signal;
const world = useFakeOAuthServer({ accountId: "acct-1", tempPrefix: "auth-recovery-" });
let n = 0;
beforeEach(() => world.oauth.onRequest(undefined));

const home = () => join(world.root, String((n += 1)));
const options = (homeDir: string, extra: Partial<AuthOptions> = {}): AuthOptions => ({
  refreshMode: "auto",
  refreshUrl: world.url,
  env: { OPENCLAW_STATE_DIR: join(homeDir, "state"), CODEX_HOME: join(homeDir, "codex") },
  homeDir,
  ...extra,
});
const spent = (name: string) => {
  const token = `rt-spent-${name}-${n}`;
  world.oauth.markUsed(token);
  return token;
};
const live = (name: string) => {
  const token = `rt-live-${name}-${n}`;
  world.oauth.addRefreshToken(token);
  return token;
};
const readCodex = async (path: string) => (JSON.parse(await readFile(path, "utf8")) as { tokens: { access_token: string; refresh_token: string } }).tokens;

describe("refresh_token_reused recovery", () => {
  it("another client (e.g. the Codex CLI) refreshed meanwhile: its fresh tokens are used, no error", async () => {
    const h = home();
    const old = makeJwt({ expSeconds: -60, accountId: "acct-1" });
    const path = writeCodexAuth(join(h, "codex"), { access: old, refresh: spent("codex"), accountId: "acct-1" });
    const theirs = makeJwt({ expSeconds: 3600, accountId: "acct-1" });
    // The Codex CLI writes its refresh while our request is on the wire (it never takes our lock).
    world.oauth.onRequest(() => void writeCodexAuth(join(h, "codex"), { access: theirs, refresh: "rt-theirs", accountId: "acct-1" }));
    const session = await openAuthSession(options(h), signal);
    assert.equal(session.credential.accessToken, theirs);
    assert.deepEqual(session.refreshReport && [session.refreshReport.refreshed, session.refreshReport.skipped], [false, "another process already refreshed the access token"]);
    assert.equal((await readCodex(path)).access_token, theirs);
    assert.equal(world.oauth.calls.length, 1);
  });

  it("a rotated refresh token written meanwhile is retried once", async () => {
    const h = home();
    const old = makeJwt({ expSeconds: -60, accountId: "acct-1" });
    const path = writeCodexAuth(join(h, "codex"), { access: old, refresh: spent("first"), accountId: "acct-1" });
    const rotated = live("rotated");
    world.oauth.onRequest((body) => {
      if (body?.refresh_token !== rotated) writeCodexAuth(join(h, "codex"), { access: old, refresh: rotated, accountId: "acct-1" });
    });
    const session = await openAuthSession(options(h), signal);
    assert.deepEqual(world.oauth.calls.map((c) => c.body?.refresh_token), [`rt-spent-first-${n}`, rotated]);
    assert.equal(session.refreshReport?.refreshed, true);
    const stored = await readCodex(path);
    assert.equal(stored.access_token, session.credential.accessToken);
    assert.ok(world.oauth.isValid(stored.refresh_token));
  });

  it("the access token still works: it is used, and the file is left as it was", async () => {
    const h = home();
    const access = makeJwt({ expSeconds: 120, accountId: "acct-1" });
    const path = writeCodexAuth(join(h, "codex"), { access, refresh: spent("valid"), accountId: "acct-1" });
    const bytes = await readFile(path);
    const session = await openAuthSession(options(h), signal);
    assert.equal(session.credential.accessToken, access);
    assert.deepEqual(session.refreshReport && [session.refreshReport.refreshed, session.refreshReport.skipped], [false, "refresh_token_reused; access token still valid"]);
    assert.deepEqual(await readFile(path), bytes);
    const only = await refreshOnly(options(h), signal);
    assert.equal(only.skipped, "refresh_token_reused; access token still valid");
  });

  it("after a backend 401 the rejected token is never 'still valid': the reuse is an error", async () => {
    const h = home();
    const access = makeJwt({ expSeconds: 3600, accountId: "acct-1" });
    writeCodexAuth(join(h, "codex"), { access, refresh: spent("401"), accountId: "acct-1" });
    const session = await openAuthSession(options(h), signal);
    await assert.rejects(session.refreshAfterUnauthorized(signal), (e: unknown) => e instanceof AuthError && e.code === "auth_expired" && /refresh_token_reused/.test(e.message));
  });

  it("a non-main OpenClaw agent inherits the main agent's fresh login for the same account and writes it back", async () => {
    const h = home();
    const state = join(h, "state");
    const workerDir = join(state, "agents", "worker", "agent");
    const worker = writeOpenClawProfiles(workerDir, {
      "openai-codex:default": { access: makeJwt({ expSeconds: -60, accountId: "acct-1" }), refresh: spent("worker"), accountId: "acct-1", email: "w@example.com" },
      "anthropic:x": { access: "keep", refresh: "keep", provider: "anthropic" },
    });
    const mainAccess = makeJwt({ expSeconds: 7200, accountId: "acct-1" });
    const main = writeOpenClawProfiles(join(state, "agents", "main", "agent"), {
      "openai-codex:other-account": { access: makeJwt({ expSeconds: 9000, accountId: "acct-2" }), refresh: "rt-2", accountId: "acct-2" },
      "openai-codex:default": { access: mainAccess, refresh: "rt-main", accountId: "acct-1" },
    });
    const mainBytes = await readFile(main);
    const session = await openAuthSession(options(h, { env: { OPENCLAW_STATE_DIR: state, OPENCLAW_AGENT_DIR: workerDir } }), signal);
    assert.equal(session.credential.accessToken, mainAccess);
    assert.equal(session.credential.path, worker);
    assert.deepEqual(session.refreshReport && [session.refreshReport.refreshed, session.refreshReport.skipped], [false, "inherited fresh OpenClaw main auth"]);
    const written = JSON.parse(await readFile(worker, "utf8")) as { profiles: Record<string, Record<string, unknown>> };
    assert.equal(written.profiles["openai-codex:default"]?.access, mainAccess);
    assert.equal(written.profiles["openai-codex:default"]?.refresh, "rt-main");
    assert.equal(written.profiles["openai-codex:default"]?.email, "w@example.com");
    assert.deepEqual(written.profiles["anthropic:x"], { type: "oauth", provider: "anthropic", access: "keep", refresh: "keep", expires: written.profiles["anthropic:x"]?.expires });
    assert.deepEqual(await readFile(main), mainBytes, "the main store is only read");
  });

  it("an auto-discovered login that cannot be renewed gives way to the next source of the same account", async () => {
    const h = home();
    const state = join(h, "state");
    const openclaw = writeOpenClawProfiles(join(state, "agents", "main", "agent"), {
      "openai-codex:default": { access: makeJwt({ expSeconds: -60, accountId: "acct-1" }), refresh: spent("stale"), accountId: "acct-1" },
    });
    const codexAccess = makeJwt({ expSeconds: 3600, accountId: "acct-1" });
    const codex = writeCodexAuth(join(h, "codex"), { access: codexAccess, refresh: "rt-c", accountId: "acct-1" });
    const session = await openAuthSession(options(h), signal);
    assert.equal(session.credential.path, codex);
    assert.equal(session.credential.accessToken, codexAccess);

    await assert.rejects(openAuthSession(options(h, { authFile: openclaw }), signal), (e: unknown) => {
      assert.ok(e instanceof AuthError && e.code === "auth_expired");
      assert.match(e.message, /refresh_token_reused.*openclaw models auth login --provider openai-codex/);
      return true;
    });
  });

  it("when no source is left, the stale one's own error stands, with its login command", async () => {
    const h = home();
    writeCodexAuth(join(h, "codex"), { access: makeJwt({ expSeconds: -60, accountId: "acct-1" }), refresh: spent("last"), accountId: "acct-1" });
    await assert.rejects(openAuthSession(options(h), signal), (e: unknown) => {
      assert.ok(e instanceof AuthError && e.code === "auth_expired");
      assert.match(e.message, /refresh token was rejected \(refresh_token_reused, HTTP 401\); log in again with `codex login`/);
      assert.ok(!e.message.includes(`rt-spent-last-${n}`));
      return true;
    });
  });

  it("a transient failure with no login of the same account to fall to is reported, and the store stays as it was", async () => {
    const h = home();
    const path = writeCodexAuth(join(h, "state", "agents", "main", "agent"), { access: makeJwt({ expSeconds: -60, accountId: "acct-1" }), refresh: live("t"), accountId: "acct-1" });
    await writeFile(join(h, "state", "agents", "main", "agent", "auth-profiles.json"), "");
    writeCodexAuth(join(h, "codex"), { access: makeJwt({ expSeconds: 3600, accountId: "acct-other" }), refresh: "rt", accountId: "acct-other" });
    const bytes = await readFile(path);
    world.oauth.failNext("network-500", 3);
    await assert.rejects(openAuthSession(options(h), signal), (e: unknown) => e instanceof AuthError && e.code === "auth_refresh_failed");
    assert.deepEqual(await readFile(path), bytes);
  });
});
