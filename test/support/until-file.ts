/** Waiting for what another process writes, on file-system events rather than sleeps. */
import { watch } from "node:fs";

const WAIT_MS = 60_000;

/** Resolves with `read()`'s first defined value, trying again on every change in `dir`; rejects after a minute naming `what`. */
export function untilFile<T>(dir: string, read: () => T | undefined, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const attempt = (): T | undefined => {
      try {
        return read();
      } catch {
        return undefined; // not written (completely) yet
      }
    };
    const first = attempt();
    if (first !== undefined) {
      resolve(first);
      return;
    }
    const finish = (): void => {
      watcher.close();
      clearTimeout(timer);
    };
    const watcher = watch(dir, () => {
      const value = attempt();
      if (value === undefined) return;
      finish();
      resolve(value);
    });
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`${what} did not happen within ${WAIT_MS / 1000} s`));
    }, WAIT_MS);
  });
}
