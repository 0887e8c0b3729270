/** `--smoke --usage`: the account's limits added to the smoke summary; an endpoint that fails is a warning, never a failed smoke test. */
import type { Smoke } from "../auth/index.js";
import { formatUsageLimits, readUsageLimits } from "../backend/usage-limits.js";
import { toCodexImagenError } from "../errors.js";

export interface SmokeWithUsage {
  /** The smoke summary plus `usage_limits` (null when they could not be read, with the reason in `warnings`). */
  summary: Record<string, unknown>;
  /** Plain mode's `key: value` lines for the limits. */
  lines: string[];
}

export async function smokeWithUsage(smoke: Smoke, baseUrl: string, signal: AbortSignal): Promise<SmokeWithUsage> {
  try {
    // Spec §0: --smoke never refreshes unless --force-refresh (which refreshed before the summary was made).
    const limits = await readUsageLimits(smoke.session(), baseUrl, signal, { refresh: false });
    return { summary: { ...smoke.summary, usage_limits: limits }, lines: formatUsageLimits(limits) };
  } catch (thrown) {
    if (signal.aborted) throw thrown;
    const warnings = Array.isArray(smoke.summary.warnings) ? smoke.summary.warnings : [];
    const warning = `Could not read the account's limits: ${toCodexImagenError(thrown).message}`;
    return { summary: { ...smoke.summary, usage_limits: null, warnings: [...warnings, warning] }, lines: [] };
  }
}
