/** "Did you mean …?" for a mistyped option, flag or argument name. */
import leven from "leven";

/** Case, `-` and `_` do not count: `outDir`, `out_dir` and `--out-dir` are one name to a reader. */
const bare = (name: string): string => name.toLowerCase().replace(/[-_]/g, "");

/** The valid name `given` most likely meant, or undefined when none is close enough to be a typo. */
export function closestName(given: string, valid: readonly string[]): string | undefined {
  const typed = bare(given);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of valid) {
    const d = leven(typed, bare(name));
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return bestDistance <= Math.max(2, Math.floor(typed.length / 2)) ? best : undefined;
}

/** `unknown option "outDir"; did you mean outputDir?`, or the list of valid names when nothing is close. */
export function unknownNameMessage(kind: string, given: string, valid: readonly string[]): string {
  const closest = closestName(given, valid);
  return closest === undefined ? `unknown ${kind} "${given}"; valid ${kind}s: ${valid.join(", ")}` : `unknown ${kind} "${given}"; did you mean ${closest}?`;
}
