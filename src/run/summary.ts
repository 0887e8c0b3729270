/** Folds the requests of a run into the one `--json` result. */
import type { AuthRefreshReport, GenerateResult, RequestedOptions, RequestSummary, ResultWarning, SavedImage } from "../result.js";
import type { RequestOutcome } from "./request.js";

/** Adds numeric leaves of token-usage objects (nested objects too), so `--count` reports the run's total. */
export function addUsage(total: Record<string, unknown>, usage: Record<string, unknown>): Record<string, unknown> {
  const sum: Record<string, unknown> = { ...total };
  for (const [key, value] of Object.entries(usage)) {
    const current = sum[key];
    if (typeof value === "number") sum[key] = (typeof current === "number" ? current : 0) + value;
    else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      const base = current !== null && typeof current === "object" && !Array.isArray(current) ? (current as Record<string, unknown>) : {};
      sum[key] = addUsage(base, value as Record<string, unknown>);
    } else if (!(key in sum)) sum[key] = value;
  }
  return sum;
}

export interface RunSummaryInput {
  outcomes: RequestOutcome[];
  images: SavedImage[];
  sessionId: string;
  endpoint: string;
  model: string;
  backend: string;
  seenEventTypes: Set<string>;
  elapsedMs: number;
  authRefresh: AuthRefreshReport | undefined;
  requested: RequestedOptions;
  warnings: ResultWarning[];
}

function requestSummary(outcome: RequestOutcome): RequestSummary {
  return {
    index: outcome.index,
    request_id: outcome.requestId,
    status: outcome.error ? "failed" : "ok",
    image_count: outcome.imageCount,
    ...(outcome.error && { error: { code: outcome.error.code, message: outcome.error.message } }),
  };
}

export function summarise(input: RunSummaryInput): GenerateResult {
  const { outcomes } = input;
  const finalCount = input.images.filter((image) => !image.partial).length;
  const usages = outcomes.flatMap((outcome) => (outcome.usage ? [outcome.usage] : []));
  const rateLimits = outcomes.findLast((outcome) => outcome.rateLimits)?.rateLimits;
  return {
    request_id: outcomes.find((outcome) => outcome.requestId)?.requestId ?? null,
    session_id: input.sessionId,
    endpoint: input.endpoint,
    model: input.model,
    backend: input.backend,
    image_count: finalCount,
    imageCount: finalCount,
    images: input.images,
    requests: outcomes.map(requestSummary),
    timed_out: outcomes.some((outcome) => outcome.timedOut),
    retry_attempts: outcomes.reduce((sum, outcome) => sum + outcome.retries, 0),
    elapsed_ms: input.elapsedMs,
    ...(usages.length > 0 && { usage: usages.reduce(addUsage, {}) }),
    ...(rateLimits && { rate_limits: rateLimits }),
    ...(input.authRefresh && { auth_refresh: input.authRefresh }),
    seen_event_types: [...input.seenEventTypes],
    requested: input.requested,
    warnings: input.warnings,
  };
}
