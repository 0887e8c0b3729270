import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { assertNoSecrets } from "../support/cli-fixture.js";
import { startFakeBackend } from "../support/fake-backend.js";
import { makeTempHome, runCli } from "../support/run-cli.js";
import { FAILED_FENCE, readSqliteProfiles, sqlitePaths, sqliteSkip, writeOpenClawSqlite } from "../support/sqlite-store.js";
import { makeJwt, writeCodexAuth } from "../support/tokens.js";

const needsSqlite = sqliteSkip === undefined ? {} : { skip: sqliteSkip };
const ACCOUNT = "acct-sqlite-e2e";

describe("OpenClaw SQLite store through the CLI", { concurrency: true }, () => {
  test("auto-discovered shared store: generation uses its token and account; --quiet stays quiet (no ExperimentalWarning)", needsSqlite, async (t) => {
    const backend = await startFakeBackend();
    t.after(() => backend.close());
    const home = makeTempHome();
    const access = makeJwt({ expSeconds: 3600, accountId: ACCOUNT });
    writeOpenClawSqlite(sqlitePaths(home.openclawState).state, "state", {
      profiles: { "openai:user@example.com": { access, refresh: "rt_sqlite_e2e_0001", accountId: ACCOUNT, email: "user@example.com" } },
    });
    const run = await runCli(["--quiet", "--base-url", backend.baseUrl, "--out-dir", join(home.home, "out"), "x"], { home });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, "");
    assertNoSecrets(run, [access, "rt_sqlite_e2e_0001"]);
    assert.equal(backend.generations[0]?.headers.authorization, `Bearer ${access}`);
    assert.equal(backend.generations[0]?.headers["chatgpt-account-id"], ACCOUNT);
  });

  test("--smoke --json names the SQLite store, provider openai and the profile", needsSqlite, async () => {
    const home = makeTempHome();
    const paths = sqlitePaths(home.openclawState);
    writeOpenClawSqlite(paths.agent, "agent", {
      profiles: { "openai:default": { access: makeJwt({ expSeconds: 3600, accountId: ACCOUNT }), refresh: "rt_sqlite_e2e_0002", accountId: ACCOUNT, email: "a@example.com" } },
    });
    const run = await runCli(["--smoke", "--json"], { home });
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.deepEqual(
      [summary.auth_path, summary.auth_format, summary.provider, summary.profile_id, summary.account_id, summary.email, summary.refresh_token_present],
      [paths.agent, "openclaw-sqlite", "openai", "openai:default", ACCOUNT, "a@example.com", true],
    );
  });

  test("a failed OpenClaw refresh (:failed: fence): exit 1 telling to log in with --provider openai; nothing sent, nothing written", needsSqlite, async (t) => {
    const backend = await startFakeBackend();
    t.after(() => backend.close());
    const home = makeTempHome();
    const path = writeOpenClawSqlite(sqlitePaths(home.openclawState).state, "state", {
      profiles: { "openai:default": { access: FAILED_FENCE("9f", "access"), refresh: FAILED_FENCE("9f", "refresh"), accountId: ACCOUNT, expires: 1 } },
    });
    const before = readFileSync(path);
    const run = await runCli(["--base-url", backend.baseUrl, "--refresh-url", backend.refreshUrl, "x"], { home });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /`openclaw models auth login --provider openai`/);
    assert.doesNotMatch(run.stderr, /openclaw-oauth-refresh-fence/);
    assert.equal(backend.requests.length, 0);
    assert.deepEqual(readFileSync(path), before);
  });

  test("--refresh-only refreshes an expired SQLite profile and writes it back", needsSqlite, async (t) => {
    const backend = await startFakeBackend({ oauth: { accountId: ACCOUNT } });
    t.after(() => backend.close());
    const home = makeTempHome();
    backend.oauth.addRefreshToken("rt_sqlite_e2e_0003");
    const path = writeOpenClawSqlite(sqlitePaths(home.openclawState).state, "state", {
      profiles: { "openai:default": { access: makeJwt({ expSeconds: -60, accountId: ACCOUNT }), refresh: "rt_sqlite_e2e_0003", accountId: ACCOUNT } },
    });
    const run = await runCli(["--refresh-only", "--json", "--refresh-url", backend.refreshUrl], { home });
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.deepEqual([out.auth_path, out.refreshed, out.profile_id], [path, true, "openai:default"]);
    const profile = readSqliteProfiles(path, "state")["openai:default"]!;
    assert.ok(backend.oauth.isValid(String(profile.refresh)));
    assertNoSecrets(run, [String(profile.access), String(profile.refresh), "rt_sqlite_e2e_0003"]);
  });

  test("a garbage --auth .sqlite file: a clear error, the file untouched (any Node)", async () => {
    const home = makeTempHome();
    const path = join(home.home, "openclaw-agent.sqlite");
    writeFileSync(path, "{ not a database");
    const run = await runCli(["--auth", path, "--smoke"], { home });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /is not an SQLite database/);
    assert.equal(readFileSync(path, "utf8"), "{ not a database");
  });

  test("Node without node:sqlite: --auth on an SQLite store says which Node it needs; discovery moves on", { ...(sqliteSkip === undefined ? { skip: "this Node has node:sqlite" } : {}) }, async () => {
    const home = makeTempHome();
    const path = sqlitePaths(home.openclawState).state;
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, Buffer.concat([Buffer.from("SQLite format 3\0", "latin1"), Buffer.alloc(4080)]));
    const explicit = await runCli(["--auth", path, "--smoke"], { home });
    assert.equal(explicit.code, 1);
    assert.ok(explicit.stderr.includes(`this OpenClaw store needs Node 22.13+ (you run ${process.version})`), explicit.stderr);

    writeCodexAuth(home.codexHome, { access: makeJwt({ expSeconds: 3600, accountId: ACCOUNT }), refresh: "rt_x", accountId: ACCOUNT });
    const auto = await runCli(["--smoke", "--json"], { home });
    assert.equal(auto.code, 0, auto.stderr);
    assert.equal((JSON.parse(auto.stdout) as { auth_format: string }).auth_format, "codex-auth-json");
  });
});
