/** Where OpenClaw's stores sit relative to its state dir. */
import { basename, dirname, isAbsolute, relative } from "node:path";

/** A path strictly inside `dir`. */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

/** The state dir a store belongs to by OpenClaw's layout (`<state>/agents/<id>/agent/…`, `<state>/state/…`, `<state>/credentials/…`), else null. */
export function stateDirOfStore(path: string): string | null {
  const dir = dirname(path);
  if (basename(dir) === "agent" && basename(dirname(dirname(dir))) === "agents") return dirname(dirname(dirname(dir)));
  if (basename(dir) === "state" || basename(dir) === "credentials") return dirname(dir);
  return null;
}
