/** Small human-readable formats for stderr lines. */
import { windowPhrase } from "../backend/rate-limits.js";
import type { RateLimits, RateLimitWindow } from "../result.js";

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1_048_576) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

function formatWindow(name: string, window: RateLimitWindow): string {
  return windowPhrase(name, {
    usedPercent: window.used_percent,
    windowSeconds: window.window_minutes === undefined ? undefined : window.window_minutes * 60,
    resetsAt: window.resets_at,
    resetsInSeconds: window.resets_in_seconds,
  });
}

/** `--usage`: the rate-limit state the backend reported, one line per window. */
export function formatRateLimits(limits: RateLimits | undefined): string[] {
  if (!limits || (!limits.primary && !limits.secondary)) return ["usage: the backend sent no rate-limit headers (x-codex-*)."];
  const lines: string[] = [];
  if (limits.primary) lines.push(`usage ${formatWindow("primary", limits.primary)}`);
  if (limits.secondary) lines.push(`usage ${formatWindow("secondary", limits.secondary)}`);
  return lines;
}
