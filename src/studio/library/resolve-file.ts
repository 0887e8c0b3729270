/** A library path from a request, made safe to serve: only files in images/, inputs/ and thumbs/, never through a link that leads out. */
import { realpath, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { splitAreaPath } from "./layout.js";

/** The real absolute path of `<area>/<name>`, or undefined when the path is refused or no such file exists. */
export async function resolveFile(dir: string, libraryPath: string): Promise<string | undefined> {
  const parts = splitAreaPath(libraryPath);
  if (parts === undefined) return undefined;
  try {
    const area = await realpath(join(dir, parts.area));
    const file = await realpath(join(area, parts.name));
    const inside = relative(area, file);
    if (inside === "" || inside.startsWith(`..${sep}`) || inside === ".." || inside.includes(sep)) return undefined;
    return (await stat(file)).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}
