/** Deleting from the library moves files to `trash/<area>/`; nothing is ever unlinked or replaced. */
import { lstat, mkdir } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { publishExclusive } from "../../images/save.js";
import { libraryIoError } from "./io-error.js";
import { splitAreaPath, TRASH } from "./layout.js";

/**
 * Moves the library file `<area>/<name>` to `trash/<area>/<name>`, or `<stem>-2<ext>`, `-3`, ... when that is
 * taken. Nothing happens when the file is not there (another studio process moved it first).
 */
export async function moveToTrash(dir: string, libraryPath: string): Promise<void> {
  const parts = splitAreaPath(libraryPath);
  if (parts === undefined) return;
  const source = join(dir, parts.area, parts.name);
  const stats = await lstat(source).catch(() => undefined);
  if (!stats?.isFile()) return;
  const trashDir = join(dir, TRASH, parts.area);
  const ext = extname(parts.name);
  try {
    await mkdir(trashDir, { recursive: true });
    await publishExclusive(source, trashDir, basename(parts.name, ext), ext);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw libraryIoError(`Could not move ${libraryPath} to ${trashDir}`, error);
  }
}
