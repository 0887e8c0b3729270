/** The account's limits for a batch: read once as it starts, beside the first jobs; a failure is a warning, never a stopped batch. */
import type { SharedAuth } from "../auth/credential.js";
import { readUsageLimits, type UsageLimits } from "../backend/usage-limits.js";
import { toCodexImagenError } from "../errors.js";
import type { BatchListener } from "./events.js";

/** Never rejects: null when the limits could not be read (a warning says why, unless the login itself is missing: the jobs say that). */
export async function readBatchLimits(auth: SharedAuth, baseUrl: string, signal: AbortSignal, emit: BatchListener): Promise<UsageLimits | null> {
  const session = await auth.session(signal).catch(() => undefined);
  if (session === undefined) return null;
  try {
    const limits = await readUsageLimits(session, baseUrl, signal, { refresh: true });
    emit({ type: "usage-limits", limits });
    return limits;
  } catch (error) {
    if (!signal.aborted) emit({ type: "warning", message: `Could not read the account's limits: ${toCodexImagenError(error).message}` });
    return null;
  }
}
