/** One request of a run: attempts under a per-attempt timeout, retries, and the one refresh after a 401. */
import type { AuthSession } from "../auth/credential.js";
import { loginCommand } from "../auth/login-hint.js";
import type { AttemptRecord, ImageBackend } from "../backend/backend.js";
import { retryDelayMs, shouldRetry } from "../backend/retry.js";
import { sleep } from "../sleep.js";
import { AuthError, type CodexImagenError, TimeoutError, toCodexImagenError } from "../errors.js";
import type { ImageItem, ImageSpool } from "../images/image-item.js";
import type { ProgressListener } from "../progress.js";
import type { RateLimits } from "../result.js";

export interface RequestContext {
  /** Shared by the run's requests; replaced once when the run falls back to another backend. */
  backend: ImageBackend;
  /** Where to go when the backend refuses the image tool (only when the user did not pick one). */
  fallback: { backend: ImageBackend; warning: string } | undefined;
  session: AuthSession | undefined;
  sessionId: string;
  retries: number;
  timeoutMs: number;
  signal: AbortSignal;
  seenEventTypes: Set<string>;
  onProgress: ProgressListener;
  /** The run's saver's spools, for images that stream in. */
  spoolImage: () => ImageSpool;
}

export interface RequestOutcome {
  index: number;
  requestId: string | null;
  /** Final images this request saved (kept even when it failed later). */
  imageCount: number;
  error?: CodexImagenError;
  timedOut: boolean;
  retries: number;
  usage?: Record<string, unknown>;
  rateLimits?: RateLimits;
}

async function attemptWithTimeout(
  context: RequestContext,
  backend: ImageBackend,
  index: number,
  attempt: number,
  saveImage: (item: ImageItem) => Promise<void>,
  record: AttemptRecord,
): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new TimeoutError(`No image arrived within the ${context.timeoutMs / 1000} s timeout. Try a longer --timeout.`)),
    context.timeoutMs,
  );
  const forward = (): void => controller.abort(context.signal.reason);
  if (context.signal.aborted) forward();
  context.signal.addEventListener("abort", forward, { once: true });
  try {
    await backend.attempt(
      {
        credential: context.session?.credential,
        sessionId: context.sessionId,
        requestIndex: index,
        attempt,
        signal: controller.signal,
        saveImage,
        spoolImage: context.spoolImage,
        onProgress: context.onProgress,
      },
      record,
    );
  } finally {
    clearTimeout(timer);
    context.signal.removeEventListener("abort", forward);
  }
}

/** A 401 even with a freshly refreshed token: only a new login helps. */
function loginAgain(error: CodexImagenError, session: AuthSession): AuthError {
  const action = `The token was refreshed once and still rejected; log in again with ${loginCommand(session.credential.format)}.`;
  return new AuthError("auth_expired", `${error.message} ${action}`, { status: 401 });
}

/** Never rejects: every failure, including a failed refresh or an interrupted backoff, lands in `error`. */
export async function runRequest(
  context: RequestContext,
  index: number,
  saveImage: (item: ImageItem) => Promise<void>,
): Promise<RequestOutcome> {
  const outcome: RequestOutcome = { index, requestId: null, imageCount: 0, timedOut: false, retries: 0 };
  try {
    await attemptUntilDone(context, outcome, saveImage);
  } catch (thrown) {
    outcome.error = toCodexImagenError(thrown);
  }
  return outcome;
}

async function attemptUntilDone(
  context: RequestContext,
  outcome: RequestOutcome,
  saveImage: (item: ImageItem) => Promise<void>,
): Promise<void> {
  const index = outcome.index;
  let saved = 0;
  const countingSave = async (item: ImageItem): Promise<void> => {
    await saveImage(item);
    if (item.partialIndex === undefined) saved += 1;
  };
  let refreshed = false;
  for (let attempt = 1; ; attempt += 1) {
    const record: AttemptRecord = { requestId: null, finalImages: 0, seenEventTypes: context.seenEventTypes };
    const tokenUsed = context.session?.credential.accessToken;
    const backendUsed = context.backend;
    try {
      await attemptWithTimeout(context, backendUsed, index, attempt, countingSave, record);
    } catch (thrown) {
      const error = toCodexImagenError(thrown);
      if (error instanceof TimeoutError && saved > 0) {
        outcome.timedOut = true;
        context.onProgress({ type: "warning", message: `${error.message} Keeping the ${saved} image(s) already saved.` });
      } else if (error.code === "tool_unsupported" && context.fallback && saved === 0 && backendUsed !== context.fallback.backend) {
        // One switch per run: a parallel request may have switched already.
        if (context.backend !== context.fallback.backend) {
          context.backend = context.fallback.backend;
          context.onProgress({ type: "warning", message: context.fallback.warning });
        }
        continue;
      } else if (context.session && error.status === 401 && saved === 0 && !refreshed) {
        refreshed = true;
        // A parallel request may have refreshed already: then just use its token.
        if (context.session.credential.accessToken === tokenUsed) {
          context.onProgress({ type: "auth", message: "The backend rejected the access token; refreshing it once." });
          await context.session.refreshAfterUnauthorized(context.signal);
        }
        continue;
      } else if (shouldRetry(error, saved, context.retries - outcome.retries)) {
        outcome.retries += 1;
        const delayMs = retryDelayMs(outcome.retries, error);
        context.onProgress({ type: "retry", attempt: attempt + 1, delayMs, reason: error.message });
        await sleep(delayMs, context.signal);
        continue;
      } else {
        outcome.error = refreshed && error.status === 401 && context.session ? loginAgain(error, context.session) : error;
      }
    } finally {
      outcome.requestId = record.requestId ?? outcome.requestId;
      outcome.usage = record.usage ?? outcome.usage;
      outcome.rateLimits = record.rateLimits ?? outcome.rateLimits;
      outcome.imageCount = saved;
    }
    return;
  }
}
