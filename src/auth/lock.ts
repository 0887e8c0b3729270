/** Cross-process locks by OpenClaw's protocol: exclusive create, stale-owner reclaim, backoff, release on every exit path. */
import { readFileSync, unlinkSync } from "node:fs";
import { mkdir, open, readFile, stat, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { sleep } from "../sleep.js";
import { AuthError, IoError } from "../errors.js";
import { isStaleLock, lockFileContent, parseLockOwner } from "./lock-file.js";

export interface HeldLock {
  readonly path: string;
  /** Removes the file if it is still ours; safe to call twice. */
  release(): Promise<void>;
}

export interface LockTiming {
  /** Waits after a busy attempt (OpenClaw: 20). */
  retries?: number;
  /** First delay; doubles each retry, up to `maxDelayMs`, times 1–2 for jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** Locks this process holds, path → the exact content it wrote; released synchronously on exit. */
const held = new Map<string, string>();
let exitHookInstalled = false;

function releaseAllSync(): void {
  for (const [path, content] of held) {
    try {
      // Empty: we exited between creating the file and writing it; nobody else can own it yet.
      const text = readFileSync(path, "utf8");
      if (text === content || text === "") unlinkSync(path);
    } catch {
      // Already gone: nothing to release.
    }
  }
  held.clear();
}

function track(path: string, content: string): void {
  if (!exitHookInstalled) {
    // SIGINT/SIGTERM end in process.exit() (the CLI's handlers), which runs this too.
    process.on("exit", releaseAllSync);
    exitHookInstalled = true;
  }
  held.set(path, content);
}

async function release(path: string, content: string): Promise<void> {
  if (held.get(path) !== content) return;
  held.delete(path);
  const current = await readFile(path, "utf8").catch(() => undefined);
  if (current === content) await unlink(path).catch(() => undefined);
}

/** The lock `acquireLock` and `withLock` take, as messages name it. */
const REFRESH_LOCK = "token refresh lock";

function ioError(path: string, error: unknown, what: string): IoError {
  const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
  return new IoError(`Could not create the ${what} ${path} (${code}); nothing was changed. Fix the directory's permissions and try again.`, error);
}

/** Exclusive create with the owner record inside, tracked from the moment it exists; false when someone else holds the file. */
async function tryCreate(path: string, content: string, what: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw ioError(path, error, what);
  }
  track(path, content);
  try {
    await handle.writeFile(content, "utf8");
  } catch (error) {
    await handle.close().catch(() => undefined);
    held.delete(path);
    await unlink(path).catch(() => undefined);
    throw ioError(path, error, what);
  }
  await handle.close();
  return true;
}

/** The lock's text and whether its owner is gone; undefined when the file vanished meanwhile. */
async function inspect(path: string): Promise<{ text: string; stale: boolean } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
    return { text, stale: isStaleLock(text, info.mtimeMs, Date.now()) };
  } catch {
    return undefined;
  }
}

/** Removes a stale lock under the `<lock>.reclaim` guard, only if it is still the file judged stale. */
async function reclaim(path: string, staleText: string, what: string): Promise<void> {
  const guard = `${path}.reclaim`;
  const guardContent = lockFileContent();
  if (!(await tryCreate(guard, guardContent, what))) {
    // A reclaimer that died inside its few milliseconds of work would block everyone forever.
    const other = await inspect(guard);
    if (other?.stale === true) await unlink(guard).catch(() => undefined);
    return;
  }
  try {
    if ((await readFile(path, "utf8").catch(() => undefined)) === staleText) await unlink(path).catch(() => undefined);
  } finally {
    await release(guard, guardContent);
  }
}

/** One try: the lock (and the text of a stale one it replaced), or the text of the live lock in the way (undefined: unreadable). */
export type LockAttempt = { lock: HeldLock; tookOver: string | undefined } | { busy: string | undefined };

/** Takes the lock at `path` at once if it is free or its owner is gone (then reclaimed); never waits. */
export async function tryLock(path: string, content: string, what: string): Promise<LockAttempt> {
  const held = (tookOver?: string): LockAttempt => ({ lock: { path, release: () => release(path, content) }, tookOver });
  if (await tryCreate(path, content, what)) return held();
  const current = await inspect(path);
  if (current !== undefined && !current.stale) return { busy: current.text };
  if (current !== undefined) await reclaim(path, current.text, what);
  if (await tryCreate(path, content, what)) return held(current?.text);
  // Another process reclaimed it first: name the new owner.
  return { busy: (await inspect(path))?.text };
}

function busyError(path: string, text: string | undefined): AuthError {
  const pid = text === undefined ? undefined : parseLockOwner(text)?.pid;
  const owner = pid === undefined ? "Another process" : `Another process (pid ${pid})`;
  return new AuthError(
    "auth_refresh_failed",
    `${owner} kept the token refresh lock ${path} for too long; nothing was changed. Try again; if no such process is running, delete that lock file.`,
    { retryable: true },
  );
}

export interface LockWait<T> {
  readonly timing?: LockTiming | undefined;
  /** Checked while the lock is busy: a value ends the wait without taking the lock (e.g. the holder already did the work). */
  readonly instead?: (() => Promise<T | undefined>) | undefined;
}

/**
 * Takes the lock at `path` (parent dirs created 0700). Busy → retries with exponential backoff and
 * jitter (OpenClaw's schedule, ~150 s in all); a lock whose owner is gone is reclaimed at once.
 * Waiting ends early, with the signal's reason, when `signal` aborts; or with `instead`'s value.
 */
async function acquire<T>(path: string, signal: AbortSignal, wait: LockWait<T>): Promise<HeldLock | { instead: T }> {
  const { retries = 20, baseDelayMs = 100, maxDelayMs = 10_000 } = wait.timing ?? {};
  signal.throwIfAborted();
  await mkdir(dirname(path), { recursive: true, mode: 0o700 }).catch((error: unknown) => {
    throw ioError(path, error, REFRESH_LOCK);
  });
  for (let attempt = 0; ; attempt += 1) {
    signal.throwIfAborted();
    const tried = await tryLock(path, lockFileContent(), REFRESH_LOCK);
    if ("lock" in tried) return tried.lock;
    const result = await wait.instead?.();
    if (result !== undefined) return { instead: result };
    if (attempt >= retries) throw busyError(path, tried.busy);
    await sleep(Math.min(maxDelayMs, Math.max(baseDelayMs, baseDelayMs * 2 ** attempt) * (1 + Math.random())), signal);
  }
}

export async function acquireLock(path: string, signal: AbortSignal, timing?: LockTiming): Promise<HeldLock> {
  return (await acquire<never>(path, signal, { timing })) as HeldLock;
}

/** Runs `work` holding the lock, released in every case; or returns what `wait.instead` found while the lock was busy. */
export async function withLock<T>(path: string, signal: AbortSignal, work: () => Promise<T>, wait: LockWait<T> = {}): Promise<T> {
  const lock = await acquire(path, signal, wait);
  if ("instead" in lock) return lock.instead;
  try {
    return await work();
  } finally {
    await lock.release();
  }
}
