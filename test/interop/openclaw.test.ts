/**
 * Interop with the real OpenClaw (SQLite era), in the order a user meets it: `openclaw doctor --fix`
 * migrates a legacy `auth-profiles.json`; our discovery finds and uses the result; our refresh keeps
 * OpenClaw happy; and our refresh lock and OpenClaw's are one and the same. The tests share one
 * OpenClaw state dir and run in order.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { decodeJwtClaims } from "../../src/auth/jwt.js";
import { fnvLockName } from "../../src/auth/lock-paths.js";
import { parseLockOwner } from "../../src/auth/lock-file.js";
import { nodeSqlite } from "../../src/auth/sqlite.js";
import { startFakeBackend, type FakeBackend } from "../support/fake-backend.js";
import { makeTempHome, runCli, type TempHome } from "../support/run-cli.js";
import { FAILED_FENCE, readOpenClawRow, readSqliteProfiles, sqlitePaths, sqliteSkip, writeOpenClawSqlite } from "../support/sqlite-store.js";
import { makeJwt, writeOpenClawProfiles } from "../support/tokens.js";
import { clients, OPENCLAW_VERSION, type Clients } from "./support/clients.js";
import { openClawLockPaths, startLockHolder, type LockHolder } from "./support/openclaw-lock.js";
import { describeRun, runOpenClaw, type RealRun } from "./support/real-client.js";
import { startTrapProxy, type TrapProxy } from "./support/trap-proxy.js";

const ACCOUNT = "acct-interop-openclaw";
const EMAIL = "user@example.com";
const PROFILE = "openai:default";
const LEGACY_REFRESH = "rt_interop_openclaw_legacy";
/** Past OpenClaw's 24 h "expiring" window: `doctor --fix` refreshes anything closer, over the network. */
const LEGACY_ACCESS_LIFETIME_S = 5 * 24 * 3600;
/** What the fake token endpoint issues: ten days, like real ChatGPT access tokens. */
const ISSUED_ACCESS_LIFETIME_S = 10 * 24 * 3600;

let real: Clients;
let backend: FakeBackend;
let trap: TrapProxy;
let home: TempHome;
let legacyAccess: string;
const holders: LockHolder[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const storePath = () => sqlitePaths(home.openclawState).state;
const storedProfile = () => readSqliteProfiles(storePath(), "state")[PROFILE] ?? {};
/** Every row of the shared store except the profiles document, as stored (value and `updated_at_ms`). */
function otherRows(): unknown {
  const sqlite = nodeSqlite();
  assert.ok(sqlite !== null);
  const db = new sqlite.DatabaseSync(storePath());
  try {
    const row = db
      .prepare("SELECT json_group_array(json_array(state_key, value_json, updated_at_ms)) AS rows FROM (SELECT * FROM config_machine_state WHERE state_key <> 'authProfiles.store' ORDER BY state_key)")
      .get() as { rows: string };
    return JSON.parse(row.rows);
  } finally {
    db.close();
  }
}
const lockFile = () => join(home.openclawState, "locks", "oauth-refresh", fnvLockName("openai", PROFILE));

before(async () => {
  real = clients();
  backend = await startFakeBackend({ oauth: { accountId: ACCOUNT, expiresInSeconds: ISSUED_ACCESS_LIFETIME_S } });
  trap = await startTrapProxy();
  home = makeTempHome();
});

after(async () => {
  for (const holder of holders) holder.kill();
  backend.oauth.onRequest(undefined);
  await backend.close();
  await trap.close();
});

interface ListedProfile {
  id: string;
  provider: string;
  type: string;
  email?: string;
  expiresAt?: string;
}

/** An OpenClaw command's `--json` output (it may print a notice line before the document). */
async function openClawJson<T>(args: string[], where = home): Promise<T> {
  const run = await runOpenClaw(real, where, trap.url, [...args, "--json"]);
  assert.equal(run.code, 0, describeRun(run));
  const start = run.stdout.indexOf("{");
  assert.notEqual(start, -1, describeRun(run));
  return JSON.parse(run.stdout.slice(start)) as T;
}

/** `openclaw models auth list --json`: the profiles OpenClaw itself sees. */
const openClawProfiles = async () => (await openClawJson<{ profiles: ListedProfile[] }>(["models", "auth", "list"])).profiles;

interface OAuthHealth {
  profileId: string;
  type: string;
  status: string;
  expiresAt?: number;
}

/** `openclaw models status --json`: OpenClaw's own verdict on each OAuth profile (ok / expiring / expired / missing). */
const openClawOAuthHealth = async (where = home) => (await openClawJson<{ auth: { oauth: { profiles: OAuthHealth[] } } }>(["models", "status"], where)).auth.oauth.profiles;

const healthOf = (profiles: OAuthHealth[]) => profiles.map((p) => ({ profileId: p.profileId, type: p.type, status: p.status, expiresAt: p.expiresAt }));

function assertNoInternet(run?: RealRun): void {
  assert.deepEqual(trap.attempts, [], `a real client tried to reach the internet${run === undefined ? "" : `\n${describeRun(run)}`}`);
}

/** Our CLI, refreshing whatever discovery finds in this OpenClaw state dir. */
const ourRefresh = (onSpawn?: (pid: number) => void) =>
  runCli(["--refresh-only", "--force-refresh", "--json", "--refresh-url", backend.refreshUrl], {
    home,
    timeoutMs: 120_000,
    onSpawn: (child) => onSpawn?.(child.pid ?? -1),
  });

describe(`real OpenClaw ${OPENCLAW_VERSION}`, { skip: sqliteSkip }, () => {
  test("the installed client is the pinned version", async () => {
    const run = await runOpenClaw(real, home, trap.url, ["--version"]);
    assert.equal(run.code, 0, describeRun(run));
    assert.match(run.stdout, new RegExp(`OpenClaw ${OPENCLAW_VERSION.replaceAll(".", "\\.")}`));
  });

  test("`openclaw doctor --fix` migrates a legacy auth-profiles.json into its SQLite store, offline", async () => {
    legacyAccess = makeJwt({ expSeconds: LEGACY_ACCESS_LIFETIME_S, accountId: ACCOUNT, extra: { "https://api.openai.com/profile": { email: EMAIL } } });
    backend.oauth.addRefreshToken(LEGACY_REFRESH);
    const agentDir = join(home.openclawState, "agents", "main", "agent");
    writeOpenClawProfiles(agentDir, { "openai-codex:default": { access: legacyAccess, refresh: LEGACY_REFRESH, accountId: ACCOUNT, email: EMAIL } });
    writeFileSync(join(agentDir, "auth-state.json"), JSON.stringify({ version: 1, lastGood: { "openai-codex": "openai-codex:default" } }, null, 2), { mode: 0o600 });

    const doctor = await runOpenClaw(real, home, trap.url, ["doctor", "--fix", "--non-interactive"]);
    assert.equal(doctor.code, 0, describeRun(doctor));
    assertNoInternet(doctor);

    const leftovers = readdirSync(agentDir);
    assert.ok(!leftovers.includes("auth-profiles.json"), `the legacy file is renamed: ${leftovers.join(", ")}`);
    assert.ok(leftovers.some((name) => name.startsWith("auth-profiles.json.migrated-")), leftovers.join(", "));
    assert.deepEqual((readOpenClawRow(storePath(), "state", "state")?.json as { lastGood?: unknown }).lastGood, { openai: PROFILE }, "usage state imported and renamed too");
    assert.equal(statSync(storePath()).mode & 0o777, 0o600);
    assert.deepEqual(readOpenClawRow(storePath(), "state", "auth.sharedStore")?.json, { location: "state-db" });
    const stored = storedProfile();
    assert.equal(stored.provider, "openai", "OpenClaw renames openai-codex to openai");
    assert.equal(stored.access, legacyAccess);
    assert.equal(stored.refresh, LEGACY_REFRESH);

    const listed = await openClawProfiles();
    assert.deepEqual(
      listed.map((p) => ({ id: p.id, provider: p.provider, type: p.type, expiresAt: p.expiresAt })),
      [{ id: PROFILE, provider: "openai", type: "oauth", expiresAt: new Date(decodeJwtClaims(legacyAccess).expiresAtMs ?? 0).toISOString() }],
    );
    assert.deepEqual(healthOf(await openClawOAuthHealth()), [{ profileId: PROFILE, type: "oauth", status: "ok", expiresAt: decodeJwtClaims(legacyAccess).expiresAtMs }]);
    assertNoInternet();
  });

  test("our discovery finds the migrated store and generates with it", async () => {
    const smoke = await runCli(["--smoke", "--json"], { home });
    assert.equal(smoke.code, 0, smoke.stderr);
    const summary = JSON.parse(smoke.stdout) as Record<string, unknown>;
    assert.equal(summary.auth_format, "openclaw-sqlite");
    assert.equal(summary.auth_path, storePath());
    assert.equal(summary.provider, "openai");
    assert.equal(summary.profile_id, PROFILE);
    assert.equal(summary.account_id, ACCOUNT);
    assert.equal(summary.email, EMAIL);

    const storeBefore = readOpenClawRow(storePath(), "state");
    const outDir = join(home.home, "images");
    const generation = await runCli(["--json", "--base-url", backend.baseUrl, "--refresh-url", backend.refreshUrl, "--out-dir", outDir, "a red square"], { home });
    assert.equal(generation.code, 0, generation.stderr);
    const request = backend.generations.at(-1);
    assert.equal(request?.headers.authorization, `Bearer ${legacyAccess}`, "the migrated profile's access token is used");
    assert.equal(request?.headers["chatgpt-account-id"], ACCOUNT);
    const saved = readdirSync(outDir);
    assert.equal(saved.length, 1, saved.join(", "));
    assert.deepEqual(readFileSync(join(outDir, saved[0] ?? "")), backend.defaultImage);
    assert.deepEqual(readOpenClawRow(storePath(), "state"), storeBefore, "a fresh token is used as is: the store is not written");
  });

  test("after our refresh, OpenClaw still lists the profile as OAuth, with the new expiry", async () => {
    const rowsBefore = otherRows();
    const calls = backend.oauth.calls.length;

    const run = await ourRefresh();
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { refreshed: boolean }).refreshed, true);
    assert.deepEqual(backend.oauth.calls.slice(calls).map((call) => call.body?.refresh_token), [LEGACY_REFRESH]);

    const stored = storedProfile();
    assert.notEqual(stored.access, legacyAccess);
    assert.ok(backend.oauth.isValid(String(stored.refresh)), "the rotated refresh token is stored");
    const newExpiry = decodeJwtClaims(String(stored.access)).expiresAtMs ?? 0;
    assert.equal(stored.expires, newExpiry);
    assert.notEqual(newExpiry, decodeJwtClaims(legacyAccess).expiresAtMs);
    assert.equal(stored.type, "oauth");
    assert.equal(stored.provider, "openai");
    assert.equal(stored.email, EMAIL);
    assert.deepEqual(otherRows(), rowsBefore, "every other row (usage state, plugin index, ...) untouched, timestamps included");
    assert.equal(statSync(storePath()).mode & 0o777, 0o600);

    const listed = await openClawProfiles();
    assert.deepEqual(
      listed.map((p) => ({ id: p.id, provider: p.provider, type: p.type, expiresAt: p.expiresAt })),
      [{ id: PROFILE, provider: "openai", type: "oauth", expiresAt: new Date(newExpiry).toISOString() }],
    );
    assert.deepEqual(healthOf(await openClawOAuthHealth()), [{ profileId: PROFILE, type: "oauth", status: "ok", expiresAt: newExpiry }]);
    assertNoInternet();
  });

  test("OpenClaw's own code computes the same refresh lock paths as ours", async () => {
    const keys: Array<[string, string]> = [
      ["openai", PROFILE],
      ["openai", `openai:${EMAIL}`],
      ["openai-codex", "openai-codex:default"],
      ["openai", "openai:ünïcödé ✓ \t\"quoted\""],
    ];
    const theirs = await openClawLockPaths(real, home, trap.url, keys);
    const ours = keys.map(([provider, profileId]) => join(home.openclawState, "locks", "oauth-refresh", fnvLockName(provider, profileId)));
    assert.deepEqual(theirs.map((path) => `${path}.lock`), ours);
  });

  test("a refresh lock held by OpenClaw's own code makes our refresh wait until it is released", async () => {
    const holder = startLockHolder(real, home, trap.url, "openai", PROFILE);
    holders.push(holder);
    await holder.ready;
    await holder.lock();
    const owner = parseLockOwner(readFileSync(lockFile(), "utf8"));
    assert.equal(owner?.pid, (await holder.ready).pid, "OpenClaw's lock file, at our path, in the format we parse");
    assert.equal(typeof owner?.starttime, "number");

    const calls = backend.oauth.calls.length;
    const storeBefore = readOpenClawRow(storePath(), "state");
    let refreshAt = 0;
    backend.oauth.onRequest(() => void (refreshAt = Date.now()));
    let exited = false;
    const refresh = ourRefresh().finally(() => (exited = true));
    await sleep(4000);
    assert.equal(exited, false, "our refresh must wait for OpenClaw's lock");
    assert.equal(backend.oauth.calls.length, calls, "no token request while OpenClaw holds the lock");
    assert.deepEqual(readOpenClawRow(storePath(), "state"), storeBefore);

    const releaseAskedAt = Date.now();
    await holder.release();
    const run = await refresh;
    backend.oauth.onRequest(undefined);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(backend.oauth.calls.length, calls + 1);
    assert.ok(refreshAt >= releaseAskedAt, "the token request came only once OpenClaw released its lock");
    assert.ok(backend.oauth.isValid(String(storedProfile().refresh)));
    assert.ok(!existsSync(lockFile()), "nobody's lock is left behind");
  });

  test("a refresh lock held by our tool makes OpenClaw's lock code wait until our refresh is written", async () => {
    const holder = startLockHolder(real, home, trap.url, "openai", PROFILE);
    holders.push(holder);
    await holder.ready;

    let openGate = () => undefined as void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let tokenRequested = () => undefined as void;
    const requested = new Promise<void>((resolve) => (tokenRequested = resolve));
    backend.oauth.onRequest(async () => {
      tokenRequested();
      await gate;
    });
    let ourPid = -1;
    const refresh = ourRefresh((pid) => (ourPid = pid));
    await requested;
    assert.equal(parseLockOwner(readFileSync(lockFile(), "utf8"))?.pid, ourPid, "we hold OpenClaw's lock across the token request");

    const locked = holder.lock();
    await sleep(4000);
    assert.equal(holder.holding, false, "OpenClaw must wait for our lock");

    const gateOpenedAt = Date.now();
    openGate();
    const run = await refresh;
    backend.oauth.onRequest(undefined);
    assert.equal(run.code, 0, run.stderr);
    const lockedEvent = await locked;
    assert.ok(lockedEvent.at >= gateOpenedAt, "OpenClaw got the lock only after our refresh finished");
    const written = storedProfile();
    assert.ok(backend.oauth.isValid(String(written.refresh)), "OpenClaw, once it holds the lock, reads our freshly written tokens");
    await holder.release();

    assert.deepEqual(healthOf(await openClawOAuthHealth()), [{ profileId: PROFILE, type: "oauth", status: "ok", expiresAt: written.expires }]);
    assertNoInternet();
  });

  test("control: OpenClaw does report a profile it cannot use (so the checks above can fail)", async () => {
    const broken = makeTempHome();
    writeOpenClawSqlite(sqlitePaths(broken.openclawState).state, "state", {
      profiles: { [PROFILE]: { access: FAILED_FENCE("control", "access"), refresh: FAILED_FENCE("control", "refresh"), expires: 1, accountId: ACCOUNT, email: EMAIL } },
      state: { order: { openai: [PROFILE] } },
    });
    const health = await openClawOAuthHealth(broken);
    assert.equal(health.length, 1);
    assert.notEqual(health[0]?.status, "ok");
  });
});
