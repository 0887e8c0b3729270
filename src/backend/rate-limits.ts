/** The account's rate-limit state from the backend's `x-codex-*` response headers. */
import type { IncomingHttpHeaders } from "node:http";
import type { RateLimits, RateLimitWindow } from "../result.js";

function numberHeader(headers: IncomingHttpHeaders, name: string): number | undefined {
  const value = headers[name];
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** An ISO 8601 time, or null for a number no Date can hold (a backend's nonsense must not fail a run). */
export function isoTime(ms: number): string | null {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function readWindow(headers: IncomingHttpHeaders, window: "primary" | "secondary", now: number): RateLimitWindow | undefined {
  const prefix = `x-codex-${window}`;
  const usedPercent = numberHeader(headers, `${prefix}-used-percent`);
  const windowMinutes = numberHeader(headers, `${prefix}-window-minutes`);
  const resetAt = numberHeader(headers, `${prefix}-reset-at`);
  const resetAfter = numberHeader(headers, `${prefix}-reset-after-seconds`);
  if ([usedPercent, windowMinutes, resetAt, resetAfter].every((value) => value === undefined)) return undefined;
  const resetsAtMs = resetAt !== undefined ? resetAt * 1000 : resetAfter !== undefined ? now + resetAfter * 1000 : undefined;
  const result: RateLimitWindow = {};
  if (usedPercent !== undefined) result.used_percent = usedPercent;
  if (windowMinutes !== undefined) result.window_minutes = windowMinutes;
  const resetsAt = resetsAtMs === undefined ? null : isoTime(resetsAtMs);
  if (resetsAtMs !== undefined && resetsAt !== null) {
    result.resets_at = resetsAt;
    result.resets_in_seconds = Math.max(0, Math.round((resetsAtMs - now) / 1000));
  }
  return result;
}

export function readRateLimits(headers: IncomingHttpHeaders, now = Date.now()): RateLimits | undefined {
  const primary = readWindow(headers, "primary", now);
  const secondary = readWindow(headers, "secondary", now);
  if (!primary && !secondary) return undefined;
  return { ...(primary && { primary }), ...(secondary && { secondary }) };
}

/** "resets at <local date and time> local time (in N s)": how every message states a reset. */
export function resetPhrase(resetsAt: Date, inSeconds: number | string): string {
  return `resets at ${resetsAt.toLocaleString()} local time (in ${inSeconds} s)`;
}

/** 18000 → "5-hour", 604800 → "7-day": a window's length in its largest whole unit. */
function lengthPhrase(seconds: number): string {
  for (const [unit, size] of [["day", 86_400], ["hour", 3600], ["minute", 60]] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}-${unit}`;
  }
  return `${seconds}-second`;
}

/** What is known of one limit window; absent or null = the backend did not say. */
export interface WindowState {
  usedPercent?: number | null;
  windowSeconds?: number | null;
  resetsAt?: string | null;
  resetsInSeconds?: number | null;
}

/** "primary: 42% used of a 5-hour window, resets at … (in 3600 s)": how every message states a window; what is unknown says so. */
export function windowPhrase(name: string, window: WindowState): string {
  const { usedPercent, windowSeconds, resetsAt, resetsInSeconds } = window;
  const length = windowSeconds == null ? undefined : `${lengthPhrase(windowSeconds)} window`;
  const used =
    usedPercent == null
      ? `used percent unknown, ${length ?? "window length unknown"}`
      : `${usedPercent}% used${length === undefined ? ", window length unknown" : ` of a ${length}`}`;
  const reset = resetsAt == null ? "reset time unknown" : resetPhrase(new Date(resetsAt), resetsInSeconds ?? "?");
  return `${name}: ${used}, ${reset}`;
}
