/** `--smoke --usage`: the account's limits added to the smoke summary; an endpoint that fails is a warning, never a failed smoke test. */
import type { Smoke } from "../auth/index.js";
import { formatUsageLimits, readUsageLimits } from "../backend/usage-limits.js";
import { toCodexImagenError } from "../errors.js";

export interface SmokeWithUsage {
  /** The smoke summary plus `usage_limits` (null when they could not be read, with the reason in `warnings`). */
  summary: Record<string, unknown>;
  /** Plain mode's `key: value` lines for the limits. */
  lines: string[];
  /** The usage endpoint rejected the token and it was refreshed once: the summary shows the new one. */
  refreshed: boolean;
}

export async function smokeWithUsage(smoke: Smoke, baseUrl: string, signal: AbortSignal): Promise<SmokeWithUsage> {
  try {
    const session = smoke.session();
    const before = session.refreshReport;
    const limits = await readUsageLimits(session, baseUrl, signal);
    const after = session.refreshReport;
    const refreshed = after !== before && after !== undefined;
    const renewed = refreshed ? { last_refresh: after.last_refresh, access_token_expires_in_seconds: after.access_token_expires_in_seconds } : {};
    return { summary: { ...smoke.summary, ...renewed, usage_limits: limits }, lines: formatUsageLimits(limits), refreshed };
  } catch (thrown) {
    if (signal.aborted) throw thrown;
    const warnings = Array.isArray(smoke.summary.warnings) ? smoke.summary.warnings : [];
    const warning = `Could not read the account's limits: ${toCodexImagenError(thrown).message}`;
    return { summary: { ...smoke.summary, usage_limits: null, warnings: [...warnings, warning] }, lines: [], refreshed: false };
  }
}
