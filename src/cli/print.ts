/** Everything the CLI writes to stdout: image paths, one JSON document, or `key: value` summaries. */
import type { GenerateResult } from "../result.js";

export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (text === "") resolve();
    else process.stdout.write(text, () => resolve());
  });
}

export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Plain mode: one final image path per line, nothing else. */
export function formatPaths(result: GenerateResult): string {
  return result.images
    .filter((image) => !image.partial)
    .map((image) => `${image.path}\n`)
    .join("");
}

/** `--smoke` / `--refresh-only` without `--json`: one `key: value` line per field. */
export function formatSummary(summary: Record<string, unknown>): string {
  return Object.entries(summary)
    .filter(([key]) => key !== "warnings")
    .map(([key, value]) => `${key}: ${value === null || value === undefined ? "-" : String(value)}\n`)
    .join("");
}
