import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { processStartTime } from "../../src/auth/lock-file.js";
import { codexLockPath, fnvLockName, refreshLockPaths, sha256LockName } from "../../src/auth/lock-paths.js";
import { acquireLock, withLock } from "../../src/auth/lock.js";
import type { LoadedStore, StoredCredential } from "../../src/auth/stores/types.js";
import { AuthError } from "../../src/errors.js";

const root = await mkdtemp(join(tmpdir(), "auth-lock-"));
after(() => rm(root, { recursive: true, force: true }));
let n = 0;
const lockPath = () => join(root, String((n += 1)), "nested", "x.lock");
const FAST = { retries: 3, baseDelayMs: 10, maxDelayMs: 20 };
const never = new AbortController().signal;
const LOCK_MODULE = fileURLToPath(new URL("../../src/auth/lock.ts", import.meta.url));

/** A live process that is not us, and stops when the test ends. */
function liveProcess(): ChildProcess & { pid: number } {
  const child = spawn("sleep", ["60"], { stdio: "ignore" });
  after(() => child.kill("SIGKILL"));
  return child as ChildProcess & { pid: number };
}

/** The pid of a process that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const child = spawn("true", { stdio: "ignore" });
  await new Promise((resolve) => child.on("close", resolve));
  return child.pid!;
}

/** A lock file as another OpenClaw process writes it. */
async function foreignLock(path: string, owner: Record<string, unknown>): Promise<string> {
  await mkdir(join(path, ".."), { recursive: true });
  const text = `${JSON.stringify(owner, null, 2)}\n \t \t\n`;
  await writeFile(path, text, { mode: 0o600 });
  return text;
}

describe("lock file names (OpenClaw interop)", () => {
  it("FNV names match OpenClaw's check values", () => {
    assert.equal(fnvLockName("openai", "openai:user@example.com"), "lock-05381e74f3b000f9b2edef1bc8669fab.lock");
    assert.equal(fnvLockName("openai", "openai:default"), "lock-5440fa0b86d2697ef1152f7cb32a8157.lock");
    assert.equal(fnvLockName("openai-codex", "openai-codex:default"), "lock-7b9da1f0ba485a46aaec13e8c09ceb27.lock");
  });

  it("JSON-era names are sha256(provider NUL profile)", () => {
    assert.equal(sha256LockName("openai-codex", "openai-codex:default"), `sha256-${createHash("sha256").update("openai-codex\0openai-codex:default").digest("hex")}.lock`);
    assert.match(sha256LockName("a", "b"), /^sha256-[0-9a-f]{64}\.lock$/);
    assert.notEqual(sha256LockName("a", "b"), sha256LockName("a\0", "b"));
  });

  const credential = (provider: string | null, profileId: string | null): StoredCredential => ({
    profileId,
    provider,
    access: null,
    refresh: "r",
    accountId: "a",
    email: null,
    expiresAtMs: null,
    lastRefresh: null,
  });
  const store = (format: LoadedStore["format"], path: string, sqlite?: LoadedStore["sqlite"]): LoadedStore => ({ path, format, mode: 0o600, credentials: [], ...(sqlite ? { sqlite } : {}) });
  const options = { env: { OPENCLAW_STATE_DIR: "/state" }, homeDir: "/h" };
  const cases: Array<[string, LoadedStore, StoredCredential, { refresh: string; store: string | null }]> = [
    ["Codex auth.json: ours beside it, never auth.lock / auth.json.lock", store("codex-auth-json", "/c/auth.json"), credential(null, null), { refresh: "/c/auth.json.codex-imagen.lock", store: null }],
    [
      "auth-profiles.json in a state dir: sha256 refresh lock there, then the store lock",
      store("openclaw-auth-profiles", "/s2/agents/main/agent/auth-profiles.json"),
      credential("openai-codex", "openai-codex:default"),
      { refresh: `/s2/locks/oauth-refresh/${sha256LockName("openai-codex", "openai-codex:default")}`, store: "/s2/agents/main/agent/auth-profiles.json.lock" },
    ],
    [
      "auth-profiles.json elsewhere: the configured state dir's locks",
      store("openclaw-auth-profiles", "/x/auth-profiles.json"),
      credential("openai-codex", "openai-codex:work"),
      { refresh: `/state/locks/oauth-refresh/${sha256LockName("openai-codex", "openai-codex:work")}`, store: "/x/auth-profiles.json.lock" },
    ],
    [
      "SQLite: FNV name in the view's state dir, no store lock",
      store("openclaw-sqlite", "/s3/state/openclaw.sqlite", { agentDb: null, stateDir: "/s3" }),
      credential("openai", "openai:default"),
      { refresh: "/s3/locks/oauth-refresh/lock-5440fa0b86d2697ef1152f7cb32a8157.lock", store: null },
    ],
    [
      "flat oauth.json: sha256 lock of <provider>:default, no store lock",
      store("openclaw-oauth-json", "/s4/credentials/oauth.json"),
      credential("openai-codex", null),
      { refresh: `/s4/locks/oauth-refresh/${sha256LockName("openai-codex", "openai-codex:default")}`, store: null },
    ],
  ];
  for (const [name, s, c, expected] of cases) it(name, () => assert.deepEqual(refreshLockPaths(s, c, options), expected));

  it("the Codex lock name is distinct from the Codex CLI's own locks", () => {
    const path = codexLockPath("/c/auth.json");
    assert.ok(!["/c/auth.lock", "/c/auth.json.lock"].includes(path));
  });
});

describe("acquireLock", () => {
  it("writes OpenClaw's format: {pid, createdAt, starttime} JSON, a whitespace token line, mode 0600; release removes it", async () => {
    const path = lockPath();
    const lock = await acquireLock(path, never);
    const text = await readFile(path, "utf8");
    const [json, token, end] = [text.slice(0, text.lastIndexOf("}") + 1), ...text.slice(text.lastIndexOf("}") + 1).split("\n").slice(1)];
    const owner = JSON.parse(text) as { pid: number; createdAt: string; starttime?: number };
    assert.deepEqual(Object.keys(owner), process.platform === "linux" ? ["pid", "createdAt", "starttime"] : ["pid", "createdAt"]);
    assert.equal(owner.pid, process.pid);
    assert.ok(Math.abs(Date.parse(owner.createdAt) - Date.now()) < 10_000);
    if (process.platform === "linux") assert.equal(owner.starttime, processStartTime(process.pid));
    assert.equal(json, JSON.stringify(owner, null, 2));
    assert.match(token ?? "", /^[ \t]+$/);
    assert.equal(end, "");
    assert.equal(statSync(path).mode & 0o777, 0o600);
    await lock.release();
    assert.equal(existsSync(path), false);
    await lock.release();
  });

  it("a lock held by a live process (OpenClaw format) makes us wait, then give up without touching it", async () => {
    const path = lockPath();
    const holder = liveProcess();
    const text = await foreignLock(path, { pid: holder.pid, createdAt: new Date(0).toISOString(), starttime: processStartTime(holder.pid) });
    const started = Date.now();
    const error = await acquireLock(path, never, FAST).catch((e: unknown) => e);
    assert.ok(error instanceof AuthError, String(error));
    assert.equal(error.code, "auth_refresh_failed");
    assert.equal(error.retryable, true);
    assert.match(error.message, new RegExp(`pid ${holder.pid}.*${path.replace(/[.]/g, "\\.")}`));
    assert.ok(Date.now() - started >= 30, "it waited between attempts");
    assert.equal(readFileSync(path, "utf8"), text, "a live owner's lock is never removed, however old");
  });

  it("an older lock with only pid and createdAt is respected while that pid lives", async () => {
    const path = lockPath();
    const holder = liveProcess();
    await foreignLock(path, { pid: holder.pid, createdAt: new Date(0).toISOString() });
    await assert.rejects(acquireLock(path, never, FAST), AuthError);
  });

  it("waiting ends when the caller's signal aborts", async () => {
    const path = lockPath();
    await foreignLock(path, { pid: liveProcess().pid });
    const started = Date.now();
    const controller = new AbortController();
    const reason = new Error("deadline reached");
    setTimeout(() => controller.abort(reason), 150);
    await assert.rejects(acquireLock(path, controller.signal, { retries: 20 }), (e: unknown) => e === reason);
    assert.ok(Date.now() - started < 5_000, "it did not sit out the whole retry schedule");
  });

  it("gets the lock as soon as the holder releases it", async () => {
    const path = lockPath();
    await foreignLock(path, { pid: liveProcess().pid });
    setTimeout(() => void unlink(path), 150);
    const started = Date.now();
    const lock = await acquireLock(path, never, { retries: 20, baseDelayMs: 20, maxDelayMs: 50 });
    assert.ok(Date.now() - started >= 140);
    assert.equal((JSON.parse(await readFile(path, "utf8")) as { pid: number }).pid, process.pid);
    await lock.release();
  });

  const staleCases: Array<[string, () => Promise<Record<string, unknown>>]> = [
    ["a dead pid", async () => ({ pid: await deadPid(), createdAt: new Date().toISOString() })],
    ["a live pid whose start time differs (pid reused)", async () => ({ pid: liveProcess().pid, createdAt: new Date().toISOString(), starttime: 1 })],
    ["no pid and createdAt older than 180 s", async () => ({ createdAt: new Date(Date.now() - 181_000).toISOString() })],
  ];
  for (const [name, owner] of staleCases) {
    it(`reclaims a stale lock at once: ${name}`, async () => {
      const path = lockPath();
      await foreignLock(path, await owner());
      const started = Date.now();
      const lock = await acquireLock(path, never, { retries: 0 });
      assert.ok(Date.now() - started < 2_000);
      assert.equal((JSON.parse(await readFile(path, "utf8")) as { pid: number }).pid, process.pid);
      assert.equal(existsSync(`${path}.reclaim`), false, "the reclaim guard is gone");
      await lock.release();
    });
  }

  it("without a pid, a recent lock is not stale", async () => {
    const path = lockPath();
    await foreignLock(path, { createdAt: new Date().toISOString() });
    await assert.rejects(acquireLock(path, never, FAST), AuthError);
  });

  it("a reclaim guard held by a live process blocks reclaiming; one left by a dead process is cleared", async () => {
    const path = lockPath();
    const stale = await foreignLock(path, { pid: await deadPid() });
    await foreignLock(`${path}.reclaim`, { pid: liveProcess().pid });
    await assert.rejects(acquireLock(path, never, FAST), AuthError);
    assert.equal(readFileSync(path, "utf8"), stale);
    await foreignLock(`${path}.reclaim`, { pid: await deadPid() });
    const lock = await acquireLock(path, never, FAST);
    await lock.release();
  });

  it("release never removes a lock that is no longer ours", async () => {
    const path = lockPath();
    const lock = await acquireLock(path, never);
    writeFileSync(path, `${JSON.stringify({ pid: 1 })}\n \n`);
    await lock.release();
    assert.equal(existsSync(path), true);
  });

  it("withLock releases when the work throws", async () => {
    const path = lockPath();
    await assert.rejects(withLock(path, never, async () => Promise.reject(new Error("boom"))), /boom/);
    assert.equal(existsSync(path), false);
  });
});

describe("locks across processes", () => {
  /** A node process (tsx) that runs `body` with `acquireLock` / `withLock` in scope. */
  function child(body: string): ChildProcess & { output: Promise<string> } {
    const code = `import { acquireLock, withLock } from ${JSON.stringify(LOCK_MODULE)};\nconst never = new AbortController().signal;\n${body}`;
    const proc = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    proc.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const output = new Promise<string>((resolve) => proc.on("close", () => resolve(out)));
    after(() => proc.kill("SIGKILL"));
    return Object.assign(proc, { output });
  }

  async function untilLocked(proc: ChildProcess): Promise<void> {
    await new Promise<void>((resolve) => proc.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("locked") && resolve()));
  }

  it("a held lock is released on process.exit (the CLI's SIGINT/SIGTERM path) and left behind by kill -9, then reclaimed", async () => {
    const exitPath = lockPath();
    const exiting = child(`await acquireLock(${JSON.stringify(exitPath)}, never); process.on("SIGTERM", () => process.exit(143)); console.log("locked"); setInterval(() => {}, 1000);`);
    await untilLocked(exiting);
    assert.equal(existsSync(exitPath), true);
    exiting.kill("SIGTERM");
    await exiting.output;
    assert.equal(exiting.exitCode, 143);
    assert.equal(existsSync(exitPath), false, "released on exit");

    const killPath = lockPath();
    const killed = child(`await acquireLock(${JSON.stringify(killPath)}, never); console.log("locked"); setInterval(() => {}, 1000);`);
    await untilLocked(killed);
    killed.kill("SIGKILL");
    await killed.output;
    assert.equal(existsSync(killPath), true, "kill -9 leaves the file");
    const started = Date.now();
    const lock = await acquireLock(killPath, never, { retries: 0 });
    assert.ok(Date.now() - started < 2_000, "a dead owner's lock is reclaimed at once");
    await lock.release();
  });

  it("is mutually exclusive: 4 processes × 10 read-increment-write cycles lose no update", async () => {
    const path = lockPath();
    const counter = join(root, `counter-${n}`);
    writeFileSync(counter, "0");
    // Patience enough (~40 s) that a holder starved of CPU never makes a waiter give up.
    const body = `import { readFileSync, writeFileSync } from "node:fs";
for (let i = 0; i < 10; i += 1) {
  await withLock(${JSON.stringify(path)}, never, async () => {
    const value = Number(readFileSync(${JSON.stringify(counter)}, "utf8"));
    await new Promise((r) => setTimeout(r, 2));
    writeFileSync(${JSON.stringify(counter)}, String(value + 1));
  }, { timing: { retries: 2000, baseDelayMs: 2, maxDelayMs: 20 } });
}`;
    const procs = [1, 2, 3, 4].map(() => child(body));
    await Promise.all(procs.map((p) => p.output));
    assert.deepEqual(procs.map((p) => p.exitCode), [0, 0, 0, 0]);
    assert.equal(readFileSync(counter, "utf8"), "40");
  });
});
