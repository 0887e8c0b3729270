/** The account's limits without generating: one GET of the backend's usage endpoint (protocol.md "Usage endpoint"), read tolerantly. */
import * as z from "zod/mini";
import type { AuthSession, Credential } from "../auth/credential.js";
import { loginCommand } from "../auth/login-hint.js";
import { AuthError, BackendError } from "../errors.js";
import { fetchWithProxy } from "../net/http.js";
import type { UsageLimits, UsageWindow } from "../result.js";
import { tolerantNullish } from "../schema/tolerant.js";
import { isoTime, windowPhrase } from "./rate-limits.js";
import { ORIGINATOR, userAgent } from "./request.js";

export type { UsageLimits, UsageWindow } from "../result.js";

/** A small JSON answer: a slow one is a passing problem, not worth holding up a smoke test or a batch. */
export const USAGE_TIMEOUT_MS = 15_000;

const number = tolerantNullish(z.number());

const WindowSchema = z.looseObject({
  used_percent: number,
  limit_window_seconds: number,
  reset_after_seconds: number,
  reset_at: number,
});

const UsageSchema = z.looseObject({
  plan_type: tolerantNullish(z.string()),
  rate_limit: tolerantNullish(z.record(z.string(), z.unknown())),
  credits: tolerantNullish(z.record(z.string(), z.unknown())),
});

/**
 * `<origin>/backend-api/wham/usage` from a base URL ending in `/codex`. Any other base URL (a gateway, a
 * proxy of the API) has no known usage endpoint: guessing one would send the token to a path we know nothing of.
 */
export function usageUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, "");
  if (!path.endsWith("/codex")) {
    throw new BackendError("backend", `The base URL ${baseUrl} does not end in /codex, so it has no known usage endpoint; the limits can be read only from the ChatGPT backend (e.g. https://chatgpt.com/backend-api/codex).`);
  }
  url.pathname = `${path.slice(0, -"/codex".length)}/wham/usage`;
  url.search = "";
  url.hash = "";
  return url.href;
}

/** A time as ISO 8601, or null when it is not a date at all (e.g. an epoch in the far future). */
function readWindow(name: string, value: unknown, now: number): UsageWindow | undefined {
  const parsed = WindowSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { used_percent, limit_window_seconds, reset_at, reset_after_seconds } = parsed.data;
  const resetsAtMs = reset_at != null ? reset_at * 1000 : reset_after_seconds != null ? now + reset_after_seconds * 1000 : null;
  const resetsAt = resetsAtMs === null ? null : isoTime(resetsAtMs);
  return {
    name,
    used_percent: used_percent ?? null,
    window_seconds: limit_window_seconds ?? null,
    resets_at: resetsAt,
    resets_in_seconds: resetsAt === null || resetsAtMs === null ? null : Math.max(0, Math.round((resetsAtMs - now) / 1000)),
  };
}

/** The usage answer as UsageLimits: every field optional, unknown ones ignored, each `<name>_window` a window. */
export function parseUsageLimits(json: unknown, now = Date.now()): UsageLimits {
  const parsed = UsageSchema.safeParse(json);
  if (!parsed.success) throw new BackendError("backend", "The usage endpoint answered something other than a JSON object; the limits are unknown for now. Try again later.");
  const { plan_type, rate_limit, credits } = parsed.data;
  const windows = Object.entries(rate_limit ?? {}).flatMap(([key, value]) => {
    const name = /^(.+)_window$/.exec(key)?.[1];
    const window = name === undefined ? undefined : readWindow(name, value, now);
    return window === undefined ? [] : [window];
  });
  return { plan_type: plan_type ?? null, windows, ...(credits != null && { credits }), fetched_at: new Date(now).toISOString() };
}

/** One GET, body included, under its own timeout; network failures become errors that say what to check. */
async function getUsage(url: string, credential: Credential, signal: AbortSignal): Promise<{ status: number; text: string }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), USAGE_TIMEOUT_MS);
  const forward = (): void => controller.abort(signal.reason);
  if (signal.aborted) forward();
  signal.addEventListener("abort", forward, { once: true });
  try {
    const response = await fetchWithProxy(url, {
      headers: {
        authorization: `Bearer ${credential.accessToken}`,
        "chatgpt-account-id": credential.accountId,
        accept: "application/json",
        originator: ORIGINATOR,
        "user-agent": userAgent(),
      },
      signal: controller.signal,
    });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
    const why = controller.signal.aborted ? `no answer within ${USAGE_TIMEOUT_MS / 1000} s` : typeof code === "string" ? code : "the connection failed";
    throw new BackendError("network", `The usage endpoint on ${new URL(url).host} could not be read (${why}); check your network, or HTTPS_PROXY and NO_PROXY, and try again.`, { cause: error });
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", forward);
  }
}

export interface UsageReadOptions {
  /** A 401 gets one refresh and one retry (a run's reader); without it, a 401 is the error (`--smoke` never refreshes unless forced). */
  refresh: boolean;
}

/** What to do about a token the usage endpoint cannot take when the reader may not refresh it. */
const REFRESH_FIRST = "run `codex-imagen --refresh-only` (or add --force-refresh) and ask again";

/**
 * The account's limits: `GET <origin>/backend-api/wham/usage` with the session's token; with `refresh`, a 401
 * gets one refresh and one retry (just the retry when another caller refreshed meanwhile). Throws a
 * CodexImagenError that says what to do; callers turn it into a warning, since the limits never decide whether a
 * run goes ahead.
 */
export async function readUsageLimits(session: AuthSession, baseUrl: string, signal: AbortSignal, options: UsageReadOptions): Promise<UsageLimits> {
  const url = usageUrl(baseUrl);
  const { expiresAtMs } = session.credential;
  if (!options.refresh && expiresAtMs !== null && expiresAtMs <= Date.now()) {
    throw new AuthError("auth_expired", `The access token expired ${Math.round((Date.now() - expiresAtMs) / 1000)} s ago, so the usage endpoint would refuse it; ${REFRESH_FIRST}.`);
  }
  const tokenUsed = session.credential.accessToken;
  let answer = await getUsage(url, session.credential, signal);
  if (answer.status === 401 && !options.refresh) {
    throw new AuthError("auth_expired", `The usage endpoint refused the access token (HTTP 401); ${REFRESH_FIRST}.`, { status: 401 });
  }
  if (answer.status === 401) {
    if (session.credential.accessToken === tokenUsed) await session.refreshAfterUnauthorized(signal);
    answer = await getUsage(url, session.credential, signal);
    if (answer.status === 401) {
      throw new AuthError("auth_expired", `The usage endpoint rejected the access token even after a refresh (HTTP 401); log in again with ${loginCommand(session.credential.format)}.`, { status: 401 });
    }
  }
  if (answer.status < 200 || answer.status >= 300) {
    throw new BackendError("backend", `The usage endpoint (${url}) answered HTTP ${answer.status}; the limits are unknown for now. Try again later.`, { status: answer.status });
  }
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch {
    json = undefined;
  }
  return parseUsageLimits(json);
}

/** Human lines for the limits ("plan: plus", "primary: 42% used of a 5-hour window, resets at … (in 3600 s)"); unknowns say so. */
export function formatUsageLimits(limits: UsageLimits): string[] {
  const lines = [`plan: ${limits.plan_type ?? "unknown"}`];
  for (const window of limits.windows) {
    lines.push(
      windowPhrase(window.name, {
        usedPercent: window.used_percent,
        windowSeconds: window.window_seconds,
        resetsAt: window.resets_at,
        resetsInSeconds: window.resets_in_seconds,
      }),
    );
  }
  if (limits.windows.length === 0) lines.push("windows: unknown (the usage endpoint reported none)");
  if (limits.credits !== undefined) {
    const entries = Object.entries(limits.credits).map(([key, value]) => `${key} ${typeof value === "object" && value !== null ? JSON.stringify(value) : String(value)}`);
    lines.push(`credits: ${entries.length > 0 ? entries.join(", ") : "none reported"}`);
  }
  return lines;
}
