/** OpenClaw's lock file format, and when such a file is stale (its owner is gone). */
import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { isRecord } from "./stores/types.js";

/** A lock without a pid is stale after this long. */
export const STALE_WITHOUT_PID_MS = 180_000;

interface ProcStat {
  state: string;
  starttime: number;
}

/** Linux `/proc/<pid>/stat`: state (field 3) and starttime (field 22); undefined elsewhere or when gone. */
function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // Field 2 (the command) is in parentheses and may hold spaces: count fields after the last `)`.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const starttime = Number(fields[19]);
  return fields[0] === undefined || !Number.isSafeInteger(starttime) ? undefined : { state: fields[0], starttime };
}

export function processStartTime(pid: number): number | undefined {
  return procStat(pid)?.starttime;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // A killed child its parent has not reaped yet still answers signal 0.
  return procStat(pid)?.state !== "Z";
}

/** A whitespace-only ownership token keeps the file valid JSON. */
function ownershipToken(): string {
  return Array.from({ length: 32 }, () => (randomInt(2) === 0 ? " " : "\t")).join("");
}

/**
 * `{pid, createdAt, starttime}` as 2-space JSON, a newline, the ownership token, a newline. `withHost` adds `host`: a lock
 * other machines may see (e.g. on a shared drive), whose pid means nothing there.
 */
export function lockFileContent(now = new Date(), withHost = false): string {
  const starttime = processStartTime(process.pid);
  const owner = { pid: process.pid, createdAt: now.toISOString(), ...(starttime === undefined ? {} : { starttime }), ...(withHost && { host: hostname() }) };
  return `${JSON.stringify(owner, null, 2)}\n${ownershipToken()}\n`;
}

interface LockOwner {
  readonly pid: number | undefined;
  readonly createdAtMs: number | undefined;
  readonly starttime: number | undefined;
  readonly host: string | undefined;
}

/** Lenient: older writers omit `starttime`; undefined when the file is not (yet) JSON. */
export function parseLockOwner(text: string): LockOwner | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(json)) return undefined;
  const { pid, createdAt, starttime, host } = json;
  const created = typeof createdAt === "string" ? Date.parse(createdAt) : Number.NaN;
  return {
    pid: typeof pid === "number" && Number.isSafeInteger(pid) && pid > 0 ? pid : undefined,
    createdAtMs: Number.isNaN(created) ? undefined : created,
    starttime: typeof starttime === "number" ? starttime : undefined,
    host: typeof host === "string" ? host : undefined,
  };
}

/**
 * With a pid: stale only when that process is dead or its start time differs (pid reused); never when another host
 * holds it. Without one (older writers, or a file caught half-written): when older than 180 s.
 */
export function isStaleLock(text: string, fileMtimeMs: number, nowMs: number): boolean {
  const owner = parseLockOwner(text);
  if (owner?.host !== undefined && owner.host !== hostname()) return false;
  if (owner?.pid !== undefined) {
    if (!isAlive(owner.pid)) return true;
    const current = processStartTime(owner.pid);
    return owner.starttime !== undefined && current !== undefined && current !== owner.starttime;
  }
  return nowMs - (owner?.createdAtMs ?? fileMtimeMs) > STALE_WITHOUT_PID_MS;
}
