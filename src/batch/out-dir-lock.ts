/** One batch per output directory: a lock file inside it, taken at once or refused; one left by a process that is gone is taken over. */
import { hostname } from "node:os";
import { join } from "node:path";
import { type HeldLock, tryLock } from "../auth/lock.js";
import { lockFileContent, parseLockOwner } from "../auth/lock-file.js";
import { UsageError } from "../errors.js";

export const BATCH_LOCK_NAME = ".codex-imagen-batch.lock";

/** "pid 1234, started 02/12/2026, 10:00:00 local time", from a lock file's text. */
function ownerText(text: string | undefined): string | undefined {
  const owner = text === undefined ? undefined : parseLockOwner(text);
  if (owner?.pid === undefined) return undefined;
  const host = owner.host !== undefined && owner.host !== hostname() ? ` on host ${owner.host}` : "";
  const started = owner.createdAtMs === undefined ? "" : `, started ${new Date(owner.createdAtMs).toLocaleString()} local time`;
  return `pid ${owner.pid}${host}${started}`;
}

/** Another batch is running in the output directory; nothing was sent. */
export class BatchBusyError extends UsageError {
  /** The other batch's process id, when its lock file says. */
  readonly pid: number | undefined;
  /** When the other batch started, when its lock file says. */
  readonly startedAt: Date | undefined;
  /** The lock file in the output directory. */
  readonly lockPath: string;

  constructor(
    outDir: string,
    lockText: string | undefined,
    /** How the caller names another output directory: `--out-dir`, `outputDir`. */
    outDirOption: string,
  ) {
    const lockPath = join(outDir, BATCH_LOCK_NAME);
    const owner = lockText === undefined ? undefined : parseLockOwner(lockText);
    const who = ownerText(lockText);
    // A live owner on this machine is certain; another machine's, or an unreadable lock, may be left over.
    const certain = who !== undefined && (owner?.host === undefined || owner.host === hostname());
    super(
      `Another batch${who ? ` (${who})` : ""} is running in ${outDir}; wait for it to finish, or give this one another ${outDirOption}.` +
        (certain ? "" : ` If no batch is running there, delete ${lockPath}.`),
    );
    this.lockPath = lockPath;
    this.pid = owner?.pid;
    this.startedAt = owner?.createdAtMs === undefined ? undefined : new Date(owner.createdAtMs);
  }
}

/** Holds `outDir` for this batch until released (also on exit); `onTakeOver` hears of a lock left by a process that is gone. */
export async function lockOutDir(outDir: string, outDirOption: string, onTakeOver: (message: string) => void): Promise<HeldLock> {
  const path = join(outDir, BATCH_LOCK_NAME);
  const tried = await tryLock(path, lockFileContent(new Date(), true), "batch lock");
  if ("busy" in tried) throw new BatchBusyError(outDir, tried.busy, outDirOption);
  if (tried.tookOver !== undefined) {
    const who = ownerText(tried.tookOver);
    onTakeOver(`Took over ${path}: the batch that held it${who ? ` (${who})` : ""} is no longer running.`);
  }
  return tried.lock;
}
