import assert from "node:assert/strict";
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { discoverCredential } from "../../src/auth/discover.js";
import { openAuthSession, smokeSummary } from "../../src/auth/index.js";
import { refreshCredential } from "../../src/auth/refresh.js";
import { AuthError } from "../../src/errors.js";
import type { AuthOptions } from "../../src/options.js";
import { useFakeOAuthServer } from "../support/fake-oauth.js";
import { FAILED_FENCE, FENCE, readOpenClawRow, readSqliteProfiles, sqlitePaths, sqliteSkip, writeOpenClawSqlite, type SqliteProfile } from "../support/sqlite-store.js";
import { makeJwt, writeOpenClawProfiles } from "../support/tokens.js";

const signal = new AbortController().signal;

describe("OpenClaw SQLite stores", { ...(sqliteSkip === undefined ? {} : { skip: sqliteSkip }) }, () => {
  const fake = useFakeOAuthServer({ accountId: "acct-1", tempPrefix: "auth-sqlite-" });
  let n = 0;

  function world() {
    const home = join(fake.root, String((n += 1)));
    const state = join(home, "state");
    const options = (extra: Partial<AuthOptions> = {}): AuthOptions => ({ refreshMode: "auto", refreshUrl: fake.url, env: { OPENCLAW_STATE_DIR: state }, homeDir: home, ...extra });
    return { home, state, paths: sqlitePaths(state), worker: sqlitePaths(state, "worker").agent, options };
  }
  const fresh = (accountId = "acct-1", hours = 1): SqliteProfile => ({ access: makeJwt({ expSeconds: hours * 3600, accountId }), refresh: `rt-${accountId}-${hours}`, accountId });
  const expired = (refresh: string, accountId = "acct-1"): SqliteProfile => ({ access: makeJwt({ expSeconds: -60, accountId }), refresh, accountId, email: "e@example.com", idToken: "old-id-token" });
  const live = (name: string) => {
    const token = `rt-${name}-${n}`;
    fake.oauth.addRefreshToken(token);
    return token;
  };

  describe("reading", () => {
    it("the shared store is the state database when auth.sharedStore says state-db", async () => {
      const w = world();
      writeOpenClawSqlite(w.paths.state, "state", { profiles: { "openai:default": fresh("acct-state") } });
      writeOpenClawSqlite(w.paths.agent, "agent", { profiles: { "openai:main-only": fresh("acct-main", 2) } });
      const found = await discoverCredential(w.options(), Date.now());
      assert.equal(found.store.format, "openclaw-sqlite");
      assert.equal(found.credential.accountId, "acct-main", "best of both databases: latest expiry");
      assert.equal(found.store.path, w.paths.agent);
      assert.deepEqual(found.store.credentials.map((c) => c.profileId).sort(), ["openai:default", "openai:main-only"]);
    });

    for (const location of ["legacy-main", null] as const) {
      it(`auth.sharedStore ${location ?? "missing"} → the main agent's database is the shared store`, async () => {
        const w = world();
        writeOpenClawSqlite(w.paths.state, "state", { profiles: { "openai:ignored": fresh("acct-ignored", 5) }, sharedStore: location });
        writeOpenClawSqlite(w.paths.agent, "agent", { profiles: { "openai:default": fresh("acct-main") } });
        const found = await discoverCredential(w.options(), Date.now());
        assert.equal(found.store.path, w.paths.agent);
        assert.deepEqual(found.store.credentials.map((c) => c.profileId), ["openai:default"]);
      });
    }

    it("an agent's database is merged over the shared store: same id → the agent's; auth_path is where the profile lives", async () => {
      const w = world();
      writeOpenClawSqlite(w.paths.state, "state", { profiles: { "openai:default": fresh("acct-shared", 1), "openai:shared-only": fresh("acct-shared-only", 3) } });
      writeOpenClawSqlite(w.worker, "agent", { profiles: { "openai:default": fresh("acct-agent", 2) } });
      const options = w.options({ env: { OPENCLAW_STATE_DIR: w.state, OPENCLAW_AGENT_DIR: join(w.worker, "..") } });
      const byId = async (profile: string) => (await discoverCredential({ ...options, profile }, Date.now()));
      const own = await byId("openai:default");
      assert.deepEqual([own.credential.accountId, own.store.path], ["acct-agent", w.worker]);
      const shared = await byId("openai:shared-only");
      assert.deepEqual([shared.credential.accountId, shared.store.path], ["acct-shared-only", w.paths.state]);
    });

    const order: Array<[string, Array<"agentSqlite" | "agentJson" | "sharedSqlite" | "mainJson">, string]> = [
      ["the agent's database before the agent's auth-profiles.json", ["agentSqlite", "agentJson", "sharedSqlite", "mainJson"], "agentSqlite"],
      ["the agent's auth-profiles.json before the shared store", ["agentJson", "sharedSqlite", "mainJson"], "agentJson"],
      ["the shared store before the main agent's auth-profiles.json", ["sharedSqlite", "mainJson"], "sharedSqlite"],
      ["the main agent's auth-profiles.json last", ["mainJson"], "mainJson"],
    ];
    for (const [name, present, winner] of order) {
      it(`discovery: ${name}`, async () => {
        const w = world();
        const agentDir = join(w.home, "agent");
        const account = (role: string) => ({ "openai:default": fresh(`acct-${role}`) });
        for (const role of present) {
          if (role === "agentSqlite") writeOpenClawSqlite(join(agentDir, "openclaw-agent.sqlite"), "agent", { profiles: account(role) });
          if (role === "sharedSqlite") writeOpenClawSqlite(w.paths.state, "state", { profiles: account(role) });
          if (role === "agentJson") writeOpenClawProfiles(agentDir, { "openai-codex:default": { ...fresh(`acct-${role}`) } });
          if (role === "mainJson") writeOpenClawProfiles(join(w.state, "agents", "main", "agent"), { "openai-codex:default": { ...fresh(`acct-${role}`) } });
        }
        const found = await discoverCredential(w.options({ env: { OPENCLAW_STATE_DIR: w.state, OPENCLAW_AGENT_DIR: agentDir } }), Date.now());
        assert.equal(found.credential.accountId, `acct-${winner}`);
      });
    }

    it("profile order: state order.openai, then openclaw.json order, then auth.profiles, then lastGood, then the best", async () => {
      const w = world();
      const profiles = { "openai:a": fresh("acct-a", 1), "openai:b": fresh("acct-b", 2), "openai:c": fresh("acct-c", 3), "openai:d": fresh("acct-d", 4), "openai:e": fresh("acct-e", 5) };
      const chosen = async () => (await discoverCredential(w.options(), Date.now())).credential.profileId;
      const write = (state?: Record<string, unknown>) => writeOpenClawSqlite(w.paths.state, "state", { profiles, ...(state ? { state } : {}) });
      write();
      assert.equal(await chosen(), "openai:e", "best usable: latest expiry");
      write({ lastGood: { openai: "openai:a" } });
      assert.equal(await chosen(), "openai:a");
      await writeFile(join(w.state, "openclaw.json"), `{ auth: { profiles: { "openai:b": { provider: "openai" } } } }`);
      assert.equal(await chosen(), "openai:b");
      await writeFile(join(w.state, "openclaw.json"), `{ auth: { order: { openai: ["openai:c"] }, profiles: { "openai:b": { provider: "openai" } } } }`);
      assert.equal(await chosen(), "openai:c");
      write({ order: { openai: ["openai:d"] }, lastGood: { openai: "openai:a" } });
      assert.equal(await chosen(), "openai:d");
      assert.equal((await discoverCredential(w.options({ profile: "openai:b" }), Date.now())).credential.profileId, "openai:b");
    });

    it("a database from a newer OpenClaw (user_version > 23) is refused clearly", async () => {
      const w = world();
      const path = writeOpenClawSqlite(w.paths.agent, "agent", { profiles: { "openai:default": fresh() }, userVersion: 24 });
      await assert.rejects(discoverCredential(w.options({ authFile: path }), Date.now()), (e: unknown) => {
        assert.ok(e instanceof AuthError && e.code === "auth_missing");
        assert.match(e.message, /newer OpenClaw \(database version 24, this tool reads up to 23\)\. Update codex-imagen/);
        return true;
      });
      writeOpenClawSqlite(w.paths.agent, "agent", { userVersion: 23 });
      assert.equal((await discoverCredential(w.options({ authFile: path }), Date.now())).credential.profileId, "openai:default");
    });

    for (const [name, content, message] of [
      ["empty", "", /is empty/],
      ["garbage", "this is not a database at all, just text", /is not an SQLite database \(truncated or corrupted\?\)/],
    ] as const) {
      it(`a ${name} .sqlite file is a clear error and is never written`, async () => {
        const w = world();
        await mkdir(join(w.paths.agent, ".."), { recursive: true });
        writeFileSync(w.paths.agent, content);
        await assert.rejects(discoverCredential(w.options({ authFile: w.paths.agent }), Date.now()), (e: unknown) => e instanceof AuthError && message.test(e.message) && /openclaw models auth login --provider openai\b/.test(e.message));
        assert.equal(readFileSync(w.paths.agent, "utf8"), content);
      });
    }

    it("a real database cut short is reported, not overwritten", async () => {
      const w = world();
      writeOpenClawSqlite(w.paths.agent, "agent", { profiles: { "openai:default": fresh() } });
      const whole = readFileSync(w.paths.agent);
      const cut = whole.subarray(0, 100);
      writeFileSync(w.paths.agent, cut);
      await assert.rejects(discoverCredential(w.options({ authFile: w.paths.agent }), Date.now()), (e: unknown) => e instanceof AuthError && /--auth .* (cannot be read|has no OpenAI)/.test(e.message));
      assert.deepEqual(readFileSync(w.paths.agent), cut);
    });
  });

  describe("write-back", () => {
    it("refresh updates only that profile in the JSON document, bumps updated_at, keeps every other field, row and the file mode", async () => {
      const w = world();
      const refresh = live("w");
      writeOpenClawSqlite(w.paths.state, "state", {
        profiles: { "openai:default": { ...expired(refresh), chatgptPlanType: "plus" }, "openai:other": fresh("acct-o", 4) },
        state: { order: { openai: ["openai:default"] }, usageStats: { x: 1 } },
        otherRows: { "something.else": { keep: true } },
      });
      chmodSync(w.paths.state, 0o640);
      const before = readOpenClawRow(w.paths.state, "state")!;
      const beforeOther = readOpenClawRow(w.paths.state, "state", "something.else")!;
      const beforeState = readOpenClawRow(w.paths.state, "state", "state")!;
      await new Promise((r) => setTimeout(r, 5));
      const session = await openAuthSession(w.options(), signal);

      assert.equal(session.refreshReport?.refreshed, true);
      assert.equal(fake.oauth.calls.length, 1);
      const afterRow = readOpenClawRow(w.paths.state, "state")!;
      const profiles = afterRow.json.profiles as Record<string, Record<string, unknown>>;
      const old = (before.json.profiles as Record<string, Record<string, unknown>>)["openai:default"]!;
      const now = profiles["openai:default"]!;
      assert.equal(now.access, session.credential.accessToken);
      assert.ok(fake.oauth.isValid(String(now.refresh)));
      assert.notEqual(now.idToken, "old-id-token", "an id token the profile kept is renewed");
      assert.ok(typeof now.expires === "number" && now.expires > Date.now() + 3_000_000);
      assert.deepEqual({ ...now, access: 0, refresh: 0, expires: 0, idToken: 0 }, { ...old, access: 0, refresh: 0, expires: 0, idToken: 0 });
      assert.deepEqual(profiles["openai:other"], (before.json.profiles as Record<string, unknown>)["openai:other"]);
      assert.equal(afterRow.json.version, 1);
      assert.ok(afterRow.updatedAt > before.updatedAt);
      assert.deepEqual(readOpenClawRow(w.paths.state, "state", "something.else"), beforeOther);
      assert.deepEqual(readOpenClawRow(w.paths.state, "state", "state"), beforeState);
      assert.equal(statSync(w.paths.state).mode & 0o777, 0o640);
    });

    it("a profile of the shared store read through an agent is written back to the shared store", async () => {
      const w = world();
      const refresh = live("shared");
      writeOpenClawSqlite(w.paths.state, "state", { profiles: { "openai:default": expired(refresh) } });
      writeOpenClawSqlite(w.worker, "agent", { profiles: { "openai:mine": { ...fresh("acct-9"), expires: 1, refresh: "" } } });
      const workerBefore = readFileSync(w.worker);
      const session = await openAuthSession(w.options({ env: { OPENCLAW_STATE_DIR: w.state, OPENCLAW_AGENT_DIR: join(w.worker, "..") }, profile: "openai:default" }), signal);
      assert.equal(session.credential.path, w.paths.state);
      assert.equal(readSqliteProfiles(w.paths.state, "state")["openai:default"]?.access, session.credential.accessToken);
      assert.deepEqual(readFileSync(w.worker), workerBefore);
    });

    it("a non-main agent whose refresh token was spent inherits the main store's fresh login and writes it to its own database", async () => {
      const w = world();
      const spent = `rt-spent-${n}`;
      fake.oauth.markUsed(spent);
      const mainAccess = makeJwt({ expSeconds: 7200, accountId: "acct-1" });
      writeOpenClawSqlite(w.paths.state, "state", { profiles: { "openai:user@example.com": { access: mainAccess, refresh: "rt-main", accountId: "acct-1" } } });
      writeOpenClawSqlite(w.worker, "agent", { profiles: { "openai:user@example.com": expired(spent) } });
      const session = await openAuthSession(w.options({ env: { OPENCLAW_STATE_DIR: w.state, OPENCLAW_AGENT_DIR: join(w.worker, "..") } }), signal);
      assert.equal(session.credential.accessToken, mainAccess);
      assert.equal(session.refreshReport?.skipped, "inherited fresh OpenClaw main auth");
      assert.equal(readSqliteProfiles(w.worker, "agent")["openai:user@example.com"]?.access, mainAccess);
    });
  });

  describe("refresh fences", () => {
    it(":failed: → auth_expired with `openclaw models auth login --provider openai`, no token request, nothing written", async () => {
      const w = world();
      writeOpenClawSqlite(w.paths.state, "state", { profiles: { "openai:default": { access: FAILED_FENCE("c1", "access"), refresh: FAILED_FENCE("c1", "refresh"), accountId: "acct-1", expires: 1 } } });
      const bytes = readFileSync(w.paths.state);
      for (const options of [w.options(), w.options({ authFile: w.paths.state })]) {
        await assert.rejects(openAuthSession(options, signal), (e: unknown) => {
          assert.ok(e instanceof AuthError && e.code === "auth_expired", String(e));
          assert.match(e.message, /failed OpenClaw refresh/);
          assert.match(e.message, /`openclaw models auth login --provider openai`/);
          assert.ok(!e.message.includes("openclaw-oauth-refresh-fence"));
          return true;
        });
      }
      assert.equal(fake.oauth.calls.length, 0);
      assert.deepEqual(readFileSync(w.paths.state), bytes);
    });

    it("a pending fence is waited for (lock-free) and OpenClaw's new tokens are used; the fence is never sent", async () => {
      const w = world();
      writeOpenClawSqlite(w.paths.state, "state", { profiles: { "openai:default": { access: FENCE("c2", "access"), refresh: FENCE("c2", "refresh"), accountId: "acct-1", expires: 1 } } });
      const theirs = makeJwt({ expSeconds: 3600, accountId: "acct-1" });
      const { summary: smoke } = await smokeSummary(w.options(), { endpoint: "", model: "", out_dir: "", retries: 0, timeout_seconds: 1 });
      assert.equal(smoke.refresh_token_present, false, "a fence is not a refresh token");
      const opening = openAuthSession(w.options(), signal);
      // OpenClaw finishes its refresh while the session waits: the new tokens exist only from then on.
      setTimeout(() => writeOpenClawSqlite(w.paths.state, "state", { profiles: { "openai:default": { access: theirs, refresh: "rt-openclaw", accountId: "acct-1" } } }), 400);
      const session = await opening;
      assert.equal(session.credential.accessToken, theirs);
      assert.equal(session.refreshReport?.refreshed, false);
      assert.equal(fake.oauth.calls.length, 0);
    });

    it("a fence that never resolves ends in auth_expired with the login command", async () => {
      const w = world();
      writeOpenClawSqlite(w.paths.state, "state", { profiles: { "openai:default": { access: FENCE("c3", "access"), refresh: FENCE("c3", "refresh"), accountId: "acct-1", expires: 1 } } });
      const found = await discoverCredential(w.options(), Date.now());
      const request = { store: found.store, ref: found.credential, staleAccess: null, force: false, unauthorized: false, options: w.options(), timing: { fenceWaitMs: 300 } };
      await assert.rejects(refreshCredential(request, signal), (e: unknown) => e instanceof AuthError && e.code === "auth_expired" && /did not finish.*--provider openai`/.test(e.message));
      assert.equal(fake.oauth.calls.length, 0);
    });
  });
});
