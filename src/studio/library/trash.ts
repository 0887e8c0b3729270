/** Deleting from the library moves files to `trash/<area>/`; nothing is ever unlinked or replaced. */
import { lstat, mkdir } from "node:fs/promises";
import { extname, join } from "node:path";
import { publishExclusive } from "../../images/save.js";
import { libraryIoError } from "./io-error.js";
import { splitAreaPath, TRASH } from "./layout.js";

/**
 * Moves the library file `<area>/<name>` to `trash/<area>/<name>`, or `<stem>-2<ext>`, `-3`, ... when that is
 * taken. Returns false when there is no such file (already moved, say by another studio process).
 */
export async function moveToTrash(dir: string, libraryPath: string): Promise<boolean> {
  const parts = splitAreaPath(libraryPath);
  if (parts === undefined) return false;
  const source = join(dir, parts.area, parts.name);
  const stats = await lstat(source).catch(() => undefined);
  if (!stats?.isFile()) return false;
  const trashDir = join(dir, TRASH, parts.area);
  const ext = extname(parts.name);
  try {
    await mkdir(trashDir, { recursive: true });
    await publishExclusive(source, trashDir, parts.name.slice(0, parts.name.length - ext.length), ext);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw libraryIoError(`Could not move ${libraryPath} to ${trashDir}`, error);
  }
}
