/** One run: credentials → references → backend attempts with retries and timeouts → saved images. */
import { randomUUID } from "node:crypto";
import { openAuthSession } from "./auth/index.js";
import type { AuthSession } from "./auth/credential.js";
import type { AttemptRecord, ImageBackend } from "./backend/backend.js";
import { createMockBackend } from "./backend/mock.js";
import { createResponsesBackend } from "./backend/responses.js";
import { retryDelayMs, shouldRetry, sleep } from "./backend/retry.js";
import { CodexImagenError, TimeoutError, toCodexImagenError } from "./errors.js";
import type { ImageItem, PreparedReference } from "./images/image-item.js";
import { loadReferences } from "./images/refs.js";
import { ImageWriter, type SavedFile } from "./images/save.js";
import type { GenerateOptions } from "./options.js";
import type { ProgressListener } from "./progress.js";
import type { GenerateResult, SavedImage } from "./result.js";

export interface RunControls {
  signal?: AbortSignal;
  onEvent?: ProgressListener;
}

/** A failed run; `result` holds what was saved before the failure, when anything was. */
export class RunFailure extends Error {
  constructor(
    readonly error: CodexImagenError,
    readonly result: GenerateResult,
  ) {
    super(error.message);
  }
}

function toolOptions(options: GenerateOptions): Record<string, unknown> {
  return options.size === undefined ? {} : { size: options.size };
}

function createBackend(options: GenerateOptions, references: PreparedReference[]): ImageBackend {
  if (options.backend === "mock") return createMockBackend({ prompt: options.prompt, size: options.size });
  return createResponsesBackend({
    baseUrl: options.baseUrl,
    model: options.model,
    prompt: options.prompt,
    references,
    imageDetail: options.imageDetail,
    stream: options.stream,
    tool: toolOptions(options),
  });
}

function describeImage(file: SavedFile, item: ImageItem): SavedImage {
  return {
    path: file.path,
    bytes: file.bytes,
    sha256: file.sha256,
    mime: file.mime,
    width: file.width,
    height: file.height,
    call_id: item.callId,
    status: item.status ?? "completed",
    partial: file.partial,
    revised_prompt: item.revisedPrompt ?? null,
    size: item.size ?? null,
    quality: item.quality ?? null,
    background: item.background ?? null,
    output_format: item.outputFormat ?? null,
  };
}

/** Runs one attempt under its own timeout, linked to the run's signal. */
async function attemptWithTimeout(
  backend: ImageBackend,
  run: { options: GenerateOptions; session: AuthSession | undefined; sessionId: string; signal: AbortSignal; attempt: number },
  saveImage: (item: ImageItem) => Promise<void>,
  record: AttemptRecord,
  onProgress: ProgressListener,
): Promise<void> {
  const controller = new AbortController();
  const seconds = run.options.timeoutMs / 1000;
  const timer = setTimeout(
    () => controller.abort(new TimeoutError(`No image arrived within the ${seconds} s timeout. Try a longer --timeout.`)),
    run.options.timeoutMs,
  );
  const forward = (): void => controller.abort(run.signal.reason);
  if (run.signal.aborted) forward();
  run.signal.addEventListener("abort", forward, { once: true });
  try {
    await backend.attempt(
      { credential: run.session?.credential, sessionId: run.sessionId, attempt: run.attempt, signal: controller.signal, saveImage, onProgress },
      record,
    );
  } finally {
    clearTimeout(timer);
    run.signal.removeEventListener("abort", forward);
  }
}

export async function runGeneration(options: GenerateOptions, controls: RunControls = {}): Promise<GenerateResult> {
  const started = Date.now();
  const signal = controls.signal ?? new AbortController().signal;
  const onProgress: ProgressListener = controls.onEvent ?? (() => {});
  const sessionId = randomUUID();
  // References are checked for every backend, so a bad path is the same usage error everywhere.
  const backend = createBackend(options, await loadReferences(options.references, options.cwd));
  const session = backend.needsCredential ? await openAuthSession(options.auth, signal) : undefined;

  const writer = new ImageWriter({
    output: options.output,
    outDir: options.outDir,
    onWarning: (message) => onProgress({ type: "warning", message }),
  });
  const items: ImageItem[] = [];
  const saveImage = async (item: ImageItem): Promise<void> => {
    const file = await writer.save(item);
    items.push(item);
    onProgress({ type: "image", image: describeImage(file, item) });
  };

  const seenEventTypes = new Set<string>();
  let record: AttemptRecord = { requestId: null, finalImages: 0, seenEventTypes };
  let retries = 0;
  let refreshedAfter401 = false;
  let timedOut = false;
  let failure: CodexImagenError | undefined;

  for (let attempt = 1; ; attempt += 1) {
    record = { requestId: null, finalImages: 0, seenEventTypes, rateLimits: record.rateLimits };
    try {
      await attemptWithTimeout(backend, { options, session, sessionId, signal, attempt }, saveImage, record, onProgress);
      break;
    } catch (thrown) {
      const error = toCodexImagenError(thrown);
      if (error instanceof TimeoutError && items.length > 0) {
        timedOut = true;
        onProgress({ type: "warning", message: `${error.message} Keeping the ${items.length} image(s) already saved.` });
        break;
      }
      if (session && error.status === 401 && !refreshedAfter401 && items.length === 0) {
        refreshedAfter401 = true;
        onProgress({ type: "auth", message: "The backend rejected the access token; refreshing it once." });
        await session.refreshAfterUnauthorized(signal);
        continue;
      }
      if (shouldRetry(error, items.length, options.retries - retries)) {
        retries += 1;
        const delayMs = retryDelayMs(retries, error);
        onProgress({ type: "retry", attempt: attempt + 1, delayMs, reason: error.message });
        await sleep(delayMs, signal);
        continue;
      }
      failure = error;
      break;
    }
  }

  const files = writer.saved();
  const images = files.map((file, index) => describeImage(file, items[index] as ImageItem));
  const result: GenerateResult = {
    request_id: record.requestId,
    session_id: sessionId,
    endpoint: backend.endpoint,
    model: options.model,
    backend: backend.name,
    image_count: images.length,
    imageCount: images.length,
    images,
    requests: [
      {
        index: 0,
        request_id: record.requestId,
        status: failure ? "failed" : "ok",
        image_count: images.length,
        ...(failure && { error: { code: failure.code, message: failure.message } }),
      },
    ],
    timed_out: timedOut,
    retry_attempts: retries,
    elapsed_ms: Date.now() - started,
    ...(record.usage && { usage: record.usage }),
    ...(record.rateLimits && { rate_limits: record.rateLimits }),
    ...(session?.refreshReport && { auth_refresh: session.refreshReport }),
    seen_event_types: [...seenEventTypes],
  };
  if (failure) throw new RunFailure(failure, result);
  return result;
}
