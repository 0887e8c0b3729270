/** The folders and files of a studio library, and the relative paths its records use (`<area>/<name>`). */
export const LOG_NAME = "library.jsonl";
export const TRASH = "trash";

export type Area = "images" | "inputs" | "thumbs";
export const AREAS: readonly Area[] = ["images", "inputs", "thumbs"];

// One plain name: no separator of any system, no NUL, no dot file (so no `.`, `..` or our temp files).
const NAME = /^[^/\\\0.][^/\\\0]{0,254}$/;

/** `{area, name}` of a path like `images/x.png`, or undefined for anything else. */
export function splitAreaPath(value: string): { area: Area; name: string } | undefined {
  const slash = value.indexOf("/");
  const area = value.slice(0, slash) as Area;
  const name = value.slice(slash + 1);
  return slash > 0 && AREAS.includes(area) && NAME.test(name) ? { area, name } : undefined;
}

export function isAreaPath(value: string, area: Area): boolean {
  return splitAreaPath(value)?.area === area;
}
