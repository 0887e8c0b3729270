/** Small human-readable formats for stderr lines. */
import { resetPhrase } from "../backend/rate-limits.js";
import type { RateLimits, RateLimitWindow } from "../result.js";

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1_048_576) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

function formatWindow(name: string, window: RateLimitWindow): string {
  const used = window.used_percent === undefined ? "usage unknown" : `${window.used_percent}% used`;
  const span = window.window_minutes === undefined ? "" : ` of a ${window.window_minutes}-minute window`;
  const reset =
    window.resets_at === undefined
      ? ""
      : `, ${resetPhrase(new Date(window.resets_at), window.resets_in_seconds ?? "?")}`;
  return `${name}: ${used}${span}${reset}`;
}

/** `--usage`: the rate-limit state the backend reported, one line per window. */
export function formatRateLimits(limits: RateLimits | undefined): string[] {
  if (!limits || (!limits.primary && !limits.secondary)) return ["usage: the backend sent no rate-limit headers (x-codex-*)."];
  const lines: string[] = [];
  if (limits.primary) lines.push(`usage ${formatWindow("primary", limits.primary)}`);
  if (limits.secondary) lines.push(`usage ${formatWindow("secondary", limits.secondary)}`);
  return lines;
}
