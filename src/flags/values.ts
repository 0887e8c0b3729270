/** The values of the flags every command shares (timeouts, retries, URLs, refresh), checked and converted. */
import { DEFAULT_RETRIES, DEFAULT_TIMEOUT_SECONDS, MAX_RETRIES, MAX_TIMEOUT_MS } from "../defaults.js";
import { UsageError } from "../errors.js";
import type { RefreshMode } from "../options.js";
import { flagName, integerInRange, positiveNumber } from "../validate/values.js";

export type Values = Record<string, string | boolean | string[] | undefined>;

export function timeoutMs(values: Values): number {
  const given = (["timeout", "timeout-seconds", "timeout-ms"] as const).filter((flag) => values[flag] !== undefined);
  if (given.length > 1) {
    throw new UsageError(`Give only one of --timeout, --timeout-seconds and --timeout-ms (got ${given.map((flag) => `--${flag}`).join(" and ")}).`);
  }
  const flag = given[0];
  if (flag === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  return durationMs(flag, values[flag] as string, flag === "timeout-ms" ? 1 : 1000);
}

/** A positive duration flag in milliseconds, at most what a timer can hold. */
function durationMs(flag: string, text: string, unitMs: number): number {
  const ms = positiveNumber(flagName(flag), text) * unitMs;
  if (ms > MAX_TIMEOUT_MS) {
    throw new UsageError(`--${flag} may be at most ${Math.floor(MAX_TIMEOUT_MS / unitMs)}${unitMs === 1 ? " ms" : " s"} (about 24 days).`);
  }
  return ms;
}

/** `--deadline SECONDS`: one bound on the whole run, if given. */
export function deadlineMs(values: Values): number | undefined {
  const text = values.deadline as string | undefined;
  return text === undefined ? undefined : durationMs("deadline", text, 1000);
}

export function retries(values: Values): number {
  const text = values.retries as string | undefined;
  if (values["no-retry"] && text !== undefined) throw new UsageError("Give either --retries or --no-retry, not both.");
  if (values["no-retry"]) return 0;
  return text === undefined ? DEFAULT_RETRIES : integerInRange("--retries", text, 0, MAX_RETRIES);
}

export function httpUrl(flag: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--${flag} must be an http(s) URL, not "${text}".`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UsageError(`--${flag} must be an http(s) URL, not "${text}".`);
  return text;
}

export function refreshMode(values: Values): RefreshMode {
  if (values["no-refresh"] && values["force-refresh"]) throw new UsageError("--no-refresh and --force-refresh contradict each other.");
  return values["no-refresh"] ? "never" : values["force-refresh"] ? "force" : "auto";
}
