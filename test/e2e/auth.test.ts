import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ACCOUNT_ID, assertNoSecrets, setupCli } from "../support/cli-fixture.js";
import { startFakeBackend } from "../support/fake-backend.js";
import { makeTempHome, runCli } from "../support/run-cli.js";
import { makeJwt, writeOpenClawProfiles } from "../support/tokens.js";

interface CodexAuthFile {
  tokens: { access_token: string; refresh_token: string; account_id?: string; [key: string]: unknown };
  [key: string]: unknown;
}

const readJson = (path: string): CodexAuthFile => JSON.parse(readFileSync(path, "utf8")) as CodexAuthFile;

function bearer(header: string | undefined): string {
  return /^Bearer (.+)$/.exec(header ?? "")?.[1] ?? "";
}

describe("auth", { concurrency: 4 }, () => {
  test("a Codex auth.json found through CODEX_HOME (no --auth)", async (t) => {
    const f = await setupCli(t);
    const run = await f.run(["--out-dir", f.outDir, "x"], { auth: false });
    assert.equal(run.code, 0, run.stderr);
    const request = f.backend.generations[0];
    assert.equal(request?.headers.authorization, `Bearer ${f.access}`);
    assert.equal(request?.headers["chatgpt-account-id"], ACCOUNT_ID);
  });

  test("--auth-profile and CODEX_IMAGEN_AUTH_PROFILE pick the OpenClaw profile; an unknown one names those that exist", async (t) => {
    const f = await setupCli(t);
    const dir = join(f.home.home, "agent-profiles");
    mkdirSync(dir);
    const profile = (accountId: string) => ({
      type: "oauth",
      provider: "openai-codex",
      access: makeJwt({ expSeconds: 3600, accountId }),
      refresh: `rt_${accountId}_0000000000`,
      expires: Date.now() + 3_600_000,
      accountId,
    });
    const profiles = { "openai-codex:default": profile("acct-default"), "openai-codex:work": profile("acct-work") };
    const path = writeOpenClawProfiles(dir, profiles);
    const secrets = Object.values(profiles).flatMap((p) => [p.access, p.refresh]);

    const flag = await f.run(["--auth", path, "--auth-profile", "openai-codex:work", "--out-dir", f.outDir, "x"], { auth: false });
    assert.equal(flag.code, 0, flag.stderr);
    assert.equal(f.backend.generations.at(-1)?.headers["chatgpt-account-id"], "acct-work");

    const env = await f.run(["--auth", path, "--out-dir", f.outDir, "x"], { auth: false, env: { CODEX_IMAGEN_AUTH_PROFILE: "openai-codex:work" } });
    assert.equal(env.code, 0, env.stderr);
    assert.equal(f.backend.generations.at(-1)?.headers["chatgpt-account-id"], "acct-work");

    const unknown = await f.run(["--auth", path, "--auth-profile", "openai-codex:nope", "--out-dir", f.outDir, "x"], { auth: false });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /openai-codex:nope/);
    assert.match(unknown.stderr, /openai-codex:default.*openai-codex:work|openai-codex:work.*openai-codex:default/);
    for (const run of [flag, env, unknown]) assertNoSecrets(run, secrets);
  });

  test("an OpenClaw auth-profiles.json given with --auth", async (t) => {
    const f = await setupCli(t);
    const dir = join(f.home.home, "agent");
    mkdirSync(dir);
    const access = makeJwt({ expSeconds: 3600, accountId: "acct-openclaw-7" });
    const path = writeOpenClawProfiles(dir, {
      "openai-codex:default": {
        type: "oauth",
        provider: "openai-codex",
        access,
        refresh: "rt_openclaw_profile_token_0001",
        expires: Date.now() + 3_600_000,
        accountId: "acct-openclaw-7",
        email: "user@example.com",
      },
    });
    const run = await f.run(["--auth", path, "--out-dir", f.outDir, "x"], { auth: false });
    assert.equal(run.code, 0, run.stderr);
    assertNoSecrets(run, [access, "rt_openclaw_profile_token_0001"]);
    const request = f.backend.generations[0];
    assert.equal(request?.headers.authorization, `Bearer ${access}`);
    assert.equal(request?.headers["chatgpt-account-id"], "acct-openclaw-7");
  });

  test("an expired access token is refreshed once, used, and written back with unknown fields kept", async (t) => {
    const f = await setupCli(t, { expiresIn: -600 });
    const before = readJson(f.authFile);
    writeFileSync(f.authFile, JSON.stringify({ ...before, custom_top: { keep: true }, tokens: { ...before.tokens, custom_token_field: "kept" } }, null, 2));
    const run = await f.run(["--json", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.json().auth_refresh?.refreshed, true);
    assert.equal(f.backend.oauth.calls.length, 1);
    const refreshRequest = f.backend.requests.find((r) => r.path === "/oauth/token");
    assert.equal((refreshRequest?.body as { refresh_token?: string } | undefined)?.refresh_token, f.refresh);

    const after = readJson(f.authFile);
    assert.notEqual(after.tokens.access_token, f.access);
    assert.equal(bearer(f.backend.generations[0]?.headers.authorization), after.tokens.access_token);
    assert.deepEqual(after.custom_top, { keep: true });
    assert.equal(after.tokens.custom_token_field, "kept");
    assert.equal(f.backend.generations.length, 1);
  });

  test("a backend 401 on a valid-looking token triggers one refresh and a retry with the new token", async (t) => {
    const f = await setupCli(t);
    f.backend.rejectToken(f.access);
    const run = await f.run(["--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(f.backend.oauth.calls.length, 1);
    assert.equal(f.backend.generations.length, 2);
    const [first, second] = f.backend.generations.map((r) => bearer(r.headers.authorization));
    assert.equal(first, f.access);
    assert.equal(second, readJson(f.authFile).tokens.access_token);
    assert.notEqual(second, f.access);
  });

  test("--no-refresh never calls the refresh endpoint", async (t) => {
    const f = await setupCli(t, { expiresIn: -600 });
    const run = await f.run(["--no-refresh", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(f.backend.oauth.calls.length, 0);
    assert.equal(readJson(f.authFile).tokens.access_token, f.access, "the store is untouched");
  });

  test("an OpenClaw login the token endpoint cannot renew gives way to the Codex login of the same account, with a warning", async (t) => {
    const f = await setupCli(t);
    const state = f.home.openclawState;
    const unusable = { access: makeJwt({ expSeconds: 3600 }), refresh: "rt_openclaw_no_account_0001" };
    const expired = { access: makeJwt({ expSeconds: -600, accountId: ACCOUNT_ID }), refresh: "rt_openclaw_expired_0001", accountId: ACCOUNT_ID };
    const store = writeOpenClawProfiles(join(state, "agents", "main", "agent"), { "openai-codex:configured": unusable, "openai-codex:other": expired });
    writeFileSync(join(state, "openclaw.json"), JSON.stringify({ auth: { order: { "openai-codex": ["openai-codex:configured"] } } }));
    const before = readFileSync(store);
    // The fake token endpoint does not know this refresh token: it answers 400 invalid_grant.
    const run = await f.run(["--json", "--out-dir", f.outDir, "x"], { auth: false });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.json().image_count, 1);
    assert.equal(f.backend.generations[0]?.headers.authorization, `Bearer ${f.access}`);
    assert.ok(run.stderr.includes(`Skipped ${store} (OpenClaw main agent): it failed: The login's refresh token was rejected`), run.stderr);
    assert.ok(run.stderr.includes(`Using ${f.authFile} ($CODEX_HOME) instead.`), run.stderr);
    assert.deepEqual(readFileSync(store), before);
    assertNoSecrets(run, [unusable.access, unusable.refresh, expired.access, expired.refresh]);
  });

  test("no credentials anywhere: exit 1 naming the places it looked", async (t) => {
    const backend = await startFakeBackend();
    t.after(() => backend.close());
    const home = makeTempHome();
    const run = await runCli(["--base-url", backend.baseUrl, "x"], { home });
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, "");
    assert.ok(run.stderr.includes(join(home.codexHome, "auth.json")), `mentions $CODEX_HOME/auth.json:\n${run.stderr}`);
    assert.match(run.stderr, /auth-profiles\.json/);
    assert.match(run.stderr, /login|--auth/);
    assert.equal(backend.generations.length, 0);
  });
});
