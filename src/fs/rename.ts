/** `rename` over an existing file, retried while Windows reports it busy (antivirus, indexers, open readers). */
import fs from "node:fs/promises";

const BUSY = new Set(["EPERM", "EBUSY", "EACCES"]);
const DELAYS_MS = [20, 50, 100, 200, 400];

export interface RenameRetryOptions {
  /** Injected in tests. */
  rename?: (from: string, to: string) => Promise<void>;
  delaysMs?: readonly number[];
  platform?: NodeJS.Platform;
}

/** Renames `from` to `to`; on Windows, a busy target is retried a few times (under a second in all). */
export async function renameWithRetry(from: string, to: string, options: RenameRetryOptions = {}): Promise<void> {
  const doRename = options.rename ?? ((a: string, b: string) => fs.rename(a, b));
  // POSIX rename never fails for a busy target: EPERM/EACCES there are real permission errors.
  const delays = (options.platform ?? process.platform) === "win32" ? (options.delaysMs ?? DELAYS_MS) : [];
  for (let attempt = 0; ; attempt += 1) {
    try {
      await doRename(from, to);
      return;
    } catch (error) {
      const delay = delays[attempt];
      if (delay === undefined || !BUSY.has((error as NodeJS.ErrnoException).code ?? "")) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
