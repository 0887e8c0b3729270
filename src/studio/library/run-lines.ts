/** The runs of a page, read back from their lines in the log. */
import { open, type FileHandle } from "node:fs/promises";
import { identityOf } from "./log-tail.js";
import { runOfLine, type RunRecord } from "./records.js";
import type { LibraryComposite, RunSlot } from "./run-index.js";

export type LibraryRun = RunRecord & { composites: LibraryComposite[] };

/**
 * Reads the runs of `slots` from `file`, which must still be the file the index was built from (`identity`);
 * undefined when it is not, or a line is not the run the index has there: the caller reads the log again.
 */
export async function readRuns(file: string, identity: string | undefined, slots: readonly RunSlot[]): Promise<LibraryRun[] | undefined> {
  if (slots.length === 0) return [];
  let handle: FileHandle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    if (identityOf(await handle.stat()) !== identity) return undefined;
    const lines = await Promise.all(
      slots.map(async ({ offset, length }) => {
        const bytes = Buffer.allocUnsafe(length);
        const { bytesRead } = await handle.read(bytes, 0, length, offset);
        return bytes.subarray(0, bytesRead);
      }),
    );
    const runs: LibraryRun[] = [];
    for (const [i, slot] of slots.entries()) {
      let run: RunRecord;
      try {
        run = runOfLine(lines[i] as Buffer);
      } catch {
        return undefined;
      }
      if (run.id !== slot.id) return undefined;
      runs.push({ ...run, composites: slot.composites });
    }
    return runs;
  } finally {
    await handle.close();
  }
}
