/** Tool-call paths must lie under a `--root`; symlinks are followed first, so a link cannot lead out. */
import { realpath } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, sep } from "node:path";
import { UsageError } from "../errors.js";

/** The real path of `path`, or of its nearest existing ancestor with the missing rest appended. */
async function realTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    return join(await realTarget(parent), basename(path));
  }
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

export async function assertUnderRoots(label: string, path: string, roots: readonly string[]): Promise<void> {
  const target = await realTarget(path);
  for (const root of roots) if (isInside(await realTarget(root), target)) return;
  throw new UsageError(
    `${label} ${path} is outside the directories this server may use (${roots.join(", ")}); pick a path under one of them, or start the server with --root DIR.`,
  );
}
