import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { fnvLockName } from "../../src/auth/lock-paths.js";
import { startFakeBackend } from "../support/fake-backend.js";
import { startFakeOAuthServer, type FakeOAuth } from "../support/fake-oauth.js";
import { makeTempHome, runCli, type CliRun, type TempHome } from "../support/run-cli.js";
import { sqlitePaths, sqliteSkip, readSqliteProfiles, writeOpenClawSqlite } from "../support/sqlite-store.js";
import { makeJwt, writeCodexAuth, writeOpenClawProfiles } from "../support/tokens.js";

const PROCESSES = 16;
const ACCOUNT = "acct-concurrency";
const ALREADY = "another process already refreshed the access token";

const oauthServer = await startFakeOAuthServer({ accountId: ACCOUNT, responseDelayMs: 300 });
after(() => oauthServer.close());

interface World {
  home: TempHome;
  /** The store file all processes share. */
  store: string;
  /** Current access and refresh token in the store. */
  tokens(): { access: string; refresh: string };
  /** Lock directory that must be empty after the run. */
  lockFiles(): string[];
}

const expired = () => makeJwt({ expSeconds: -120, accountId: ACCOUNT });
const newRefresh = (oauth: FakeOAuth, name: string) => {
  const token = `rt_${name}_${Math.random().toString(36).slice(2)}`;
  oauth.addRefreshToken(token);
  return token;
};
const locksIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".lock") || f.endsWith(".reclaim")) : []);

const worlds: Record<string, { skip?: string; make(oauth: FakeOAuth): World }> = {
  "a Codex auth.json (found through CODEX_HOME)": {
    make(oauth) {
      const home = makeTempHome();
      const store = writeCodexAuth(home.codexHome, { access: expired(), refresh: newRefresh(oauth, "codex"), accountId: ACCOUNT });
      return {
        home,
        store,
        tokens: () => {
          const { tokens } = JSON.parse(readFileSync(store, "utf8")) as { tokens: { access_token: string; refresh_token: string } };
          return { access: tokens.access_token, refresh: tokens.refresh_token };
        },
        lockFiles: () => locksIn(home.codexHome),
      };
    },
  },
  "an OpenClaw auth-profiles.json (the main agent's)": {
    make(oauth) {
      const home = makeTempHome();
      const dir = join(home.openclawState, "agents", "main", "agent");
      const store = writeOpenClawProfiles(dir, {
        "openai-codex:default": { access: expired(), refresh: newRefresh(oauth, "openclaw"), accountId: ACCOUNT, email: "a@example.com" },
      });
      return {
        home,
        store,
        tokens: () => {
          const json = JSON.parse(readFileSync(store, "utf8")) as { profiles: Record<string, { access: string; refresh: string }> };
          const profile = json.profiles["openai-codex:default"]!;
          return { access: profile.access, refresh: profile.refresh };
        },
        lockFiles: () => [...locksIn(join(home.openclawState, "locks", "oauth-refresh")), ...locksIn(dir)],
      };
    },
  },
  "OpenClaw's SQLite store (shared state database)": {
    ...(sqliteSkip === undefined ? {} : { skip: sqliteSkip }),
    make(oauth) {
      const home = makeTempHome();
      const store = writeOpenClawSqlite(sqlitePaths(home.openclawState).state, "state", {
        profiles: {
          "openai:default": { access: expired(), refresh: newRefresh(oauth, "sqlite"), accountId: ACCOUNT, email: "a@example.com" },
          "openai:other": { access: "other-access", refresh: "other-refresh", accountId: "acct-other", expires: 1 },
        },
        state: { order: { openai: ["openai:default"] } },
      });
      return {
        home,
        store,
        tokens: () => {
          const profile = readSqliteProfiles(store, "state")["openai:default"]!;
          return { access: String(profile.access), refresh: String(profile.refresh) };
        },
        lockFiles: () => locksIn(join(home.openclawState, "locks", "oauth-refresh")),
      };
    },
  },
};

function assertOneRefresh(runs: CliRun[], oauth: FakeOAuth, world: World, before: number): void {
  for (const run of runs) assert.equal(run.code, 0, run.stderr);
  assert.equal(oauth.calls.length - before, 1, "exactly one refresh call among all processes");
  const after = world.tokens();
  assert.ok(oauth.isValid(after.refresh), "the store holds the one live refresh token");
  assert.ok(JSON.parse(Buffer.from(after.access.split(".")[1]!, "base64url").toString()).exp * 1000 > Date.now() + 3_000_000);
  assert.deepEqual(world.lockFiles(), [], "no lock file left behind");
}

describe("16 processes at once on one expired credential", { concurrency: false }, () => {
  for (const [name, { skip, make }] of Object.entries(worlds)) {
    test(`--refresh-only: ${name} → 1 refresh call, 16 successes, a valid store`, { ...(skip === undefined ? {} : { skip }) }, async (t) => {
      const { oauth, url } = oauthServer;
      const world = make(oauth);
      const mode = statSync(world.store).mode & 0o777;
      const before = oauth.calls.length;
      const started = Date.now();
      const runs = await Promise.all(
        Array.from({ length: PROCESSES }, () => runCli(["--refresh-only", "--json", "--refresh-url", url], { home: world.home, timeoutMs: 60_000 })),
      );
      const wall = Date.now() - started;
      assertOneRefresh(runs, oauth, world, before);
      const results = runs.map((run) => JSON.parse(run.stdout) as { refreshed: boolean; skipped: string | null; auth_path: string; account_id: string });
      assert.equal(results.filter((r) => r.refreshed).length, 1);
      // A process that starts after the refresh finished simply finds a valid token.
      for (const r of results.filter((r) => !r.refreshed)) assert.ok([ALREADY, "access token still valid"].includes(r.skipped ?? ""), String(r.skipped));
      assert.ok(results.every((r) => r.auth_path === world.store && r.account_id === ACCOUNT));
      assert.equal(statSync(world.store).mode & 0o777, mode, "file mode kept");
      t.diagnostic(`${PROCESSES} processes, 1 refresh call, ${wall} ms wall`);
    });
  }

  test("16 generations at once on an expired Codex login: 1 refresh, 16 images, each sent with the new token", async () => {
    const backend = await startFakeBackend({ oauth: { accountId: ACCOUNT, responseDelayMs: 300 } });
    try {
      const home = makeTempHome();
      const refresh = newRefresh(backend.oauth, "gen");
      const store = writeCodexAuth(home.codexHome, { access: expired(), refresh, accountId: ACCOUNT });
      const runs = await Promise.all(
        Array.from({ length: PROCESSES }, (_, i) =>
          runCli(["--json", "--base-url", backend.baseUrl, "--refresh-url", backend.refreshUrl, "--out-dir", join(home.home, `out-${i}`), "a red square"], { home, timeoutMs: 60_000 }),
        ),
      );
      for (const run of runs) assert.equal(run.code, 0, run.stderr);
      assert.equal(backend.oauth.calls.length, 1);
      const access = (JSON.parse(readFileSync(store, "utf8")) as { tokens: { access_token: string } }).tokens.access_token;
      assert.equal(backend.generations.length, PROCESSES);
      assert.ok(backend.generations.every((g) => g.headers.authorization === `Bearer ${access}`));
      assert.equal(runs.map((r) => r.json().auth_refresh?.refreshed).filter(Boolean).length, 1);
    } finally {
      await backend.close();
    }
  });
});

describe("a process killed while holding the lock", { concurrency: false }, () => {
  async function holdingRefresh(world: World, lock: string): Promise<{ run: Promise<CliRun>; pid: number }> {
    const { oauth, url } = oauthServer;
    const asked = new Promise<void>((resolve) => oauth.onRequest(() => resolve()));
    oauth.failNext("stall");
    const run = runCli(["--refresh-only", "--json", "--refresh-url", url], { home: world.home, timeoutMs: 60_000 });
    await Promise.race([asked, run.then((ended) => assert.fail(`the first process ended without asking for a token: ${ended.stderr}`))]);
    oauth.onRequest(undefined);
    const pid = (JSON.parse(readFileSync(lock, "utf8")) as { pid: number }).pid;
    return { run, pid };
  }

  // "At once": a lock whose owner lives is never taken, however long one waits (the unit tests time the reclaim).
  test("kill -9 mid-refresh: the next process reclaims the lock at once and refreshes", async () => {
    const world = worlds["a Codex auth.json (found through CODEX_HOME)"]!.make(oauthServer.oauth);
    const lock = `${world.store}.codex-imagen.lock`;
    const storeBefore = readFileSync(world.store);
    const { run, pid } = await holdingRefresh(world, lock);
    process.kill(pid, "SIGKILL");
    const killed = await run;
    assert.equal(killed.signal, "SIGKILL");
    assert.equal(existsSync(lock), true, "kill -9 leaves the lock file");
    assert.deepEqual(readFileSync(world.store), storeBefore, "nothing was written");

    const next = await runCli(["--refresh-only", "--json", "--refresh-url", oauthServer.url], { home: world.home });
    assert.equal(next.code, 0, next.stderr);
    assert.equal((JSON.parse(next.stdout) as { refreshed: boolean }).refreshed, true);
    assert.equal(existsSync(lock), false);
    assert.ok(oauthServer.oauth.isValid(world.tokens().refresh));
  });

  test("SIGTERM mid-refresh: exit 143, the lock is released, the store is untouched", async () => {
    const world = worlds["a Codex auth.json (found through CODEX_HOME)"]!.make(oauthServer.oauth);
    const lock = `${world.store}.codex-imagen.lock`;
    const storeBefore = readFileSync(world.store);
    const { run, pid } = await holdingRefresh(world, lock);
    process.kill(pid, "SIGTERM");
    const stopped = await run;
    assert.equal(stopped.code, 143, stopped.stderr);
    assert.equal(existsSync(lock), false, "released on SIGTERM");
    assert.deepEqual(readFileSync(world.store), storeBefore);
    assert.deepEqual(readdirSync(world.home.codexHome).sort(), ["auth.json"], "no auth.lock / auth.json.lock / temp files");
  });

  test("SQLite: kill -9 mid-refresh leaves OpenClaw's FNV lock; the next process reclaims it", { ...(sqliteSkip === undefined ? {} : { skip: sqliteSkip }) }, async () => {
    const world = worlds["OpenClaw's SQLite store (shared state database)"]!.make(oauthServer.oauth);
    const lock = join(world.home.openclawState, "locks", "oauth-refresh", fnvLockName("openai", "openai:default"));
    const { run, pid } = await holdingRefresh(world, lock);
    process.kill(pid, "SIGKILL");
    await run;
    assert.equal(existsSync(lock), true);
    const next = await runCli(["--refresh-only", "--json", "--refresh-url", oauthServer.url], { home: world.home });
    assert.equal(next.code, 0, next.stderr);
    assert.equal(existsSync(lock), false);
    assert.ok(oauthServer.oauth.isValid(world.tokens().refresh));
  });
});
