/** What the main command prints on stdout: image paths, or `key: value` summaries (JSON goes through ../stdout.ts). */
import type { GenerateResult } from "../result.js";

/** Plain mode: one final image path per line, nothing else. */
export function formatPaths(result: GenerateResult): string {
  return result.images
    .filter((image) => !image.partial)
    .map((image) => `${image.path}\n`)
    .join("");
}

/** Shown their own way: warnings on stderr, the limits as lines of their own. */
const STRUCTURED_FIELDS = new Set(["warnings", "usage_limits"]);

/** `--smoke` / `--refresh-only` without `--json`: one `key: value` line per field. */
export function formatSummary(summary: Record<string, unknown>): string {
  return Object.entries(summary)
    .filter(([key]) => !STRUCTURED_FIELDS.has(key))
    .map(([key, value]) => `${key}: ${value === null || value === undefined ? "-" : String(value)}\n`)
    .join("");
}
