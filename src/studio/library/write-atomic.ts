import { randomBytes } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { renameWithRetry } from "../../fs/rename.js";

/** Writes a temp file beside `target` and renames it over: a reader sees the old file or the new one, never half. */
export async function replaceFileAtomic(target: string, data: Uint8Array): Promise<void> {
  // The images' temp-file pattern, so the stale-temp sweep on open removes one a killed process left.
  const temp = join(dirname(target), `.codex-imagen-${randomBytes(8).toString("hex")}.tmp`);
  try {
    await writeFile(temp, data, { flag: "wx" });
    await renameWithRetry(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
}
