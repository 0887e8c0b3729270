/** One run: credentials → references → `count` parallel requests → saved images → one result. */
import { randomUUID } from "node:crypto";
import type { SharedAuth } from "../auth/credential.js";
import { openAuthSession } from "../auth/index.js";
import type { ImageBackend } from "../backend/backend.js";
import { createImagesBackend } from "../backend/images.js";
import { flagsImagesCannotHonour } from "../validate/images-backend.js";
import { createMockBackend } from "../backend/mock.js";
import { createResponsesBackend } from "../backend/responses.js";
import { type CodexImagenError, RateLimitError, TimeoutError, toCodexImagenError } from "../errors.js";
import type { ImageItem, PreparedReference } from "../images/image-item.js";
import { loadMask, loadReferences } from "../images/refs.js";
import { ImageWriter, type SavedFile } from "../images/save.js";
import type { GenerateOptions } from "../options.js";
import type { ProgressListener } from "../progress.js";
import type { GenerateResult, SavedImage } from "../result.js";
import { mismatchWarnings, requestedOptions } from "./mismatches.js";
import { runPool } from "./pool.js";
import { type RequestContext, type RequestOutcome, runRequest } from "./request.js";
import type { RequestSlots } from "./slots.js";
import { summarise } from "./summary.js";

export interface RunControls {
  signal?: AbortSignal;
  onEvent?: ProgressListener;
  /** A login shared with other runs (serve, batch); by default the run opens its own. */
  auth?: SharedAuth;
  /** Upstream request slots shared with other runs: each request holds one from its first attempt to its last. */
  slots?: RequestSlots;
  /** Called when a request hits the usage limit, before it gives back its slot, so the caller can pause the slots first. */
  onRateLimit?: (error: RateLimitError) => void;
}

/** A failed run; `result` holds what was saved before the failure. */
export class RunFailure extends Error {
  constructor(
    readonly error: CodexImagenError,
    readonly result: GenerateResult,
  ) {
    super(error.message);
  }
}

interface Backends {
  backend: ImageBackend;
  fallback: RequestContext["fallback"];
}

/** The typed endpoints take over when the hosted tool is refused; flags they cannot honour are dropped with a warning. */
function imagesFallback(options: GenerateOptions, references: PreparedReference[]): RequestContext["fallback"] {
  if (options.backendChosen) return undefined;
  const dropped = flagsImagesCannotHonour(options);
  return {
    backend: createImagesBackend({ baseUrl: options.baseUrl, prompt: options.prompt, references, tool: options.tool }),
    warning: `The backend refused the hosted image_generation tool; using the typed image endpoints instead (--backend images)${dropped.length > 0 ? `, without ${dropped.join(", ")}` : ""}.`,
  };
}

async function createBackends(options: GenerateOptions, signal: AbortSignal): Promise<Backends> {
  // References and the mask are checked for every backend, so a bad path is the same usage error everywhere.
  const references = await loadReferences(options.references, options.cwd, { signal });
  const mask = options.mask === undefined ? undefined : await loadMask(options.mask);
  if (options.backend === "mock") {
    return { backend: createMockBackend({ prompt: options.prompt, tool: options.tool, savePartials: options.savePartials }), fallback: undefined };
  }
  if (options.backend === "images") {
    return { backend: createImagesBackend({ baseUrl: options.baseUrl, prompt: options.prompt, references, tool: options.tool }), fallback: undefined };
  }
  const backend = createResponsesBackend({
    baseUrl: options.baseUrl,
    model: options.model,
    prompt: options.prompt,
    references,
    imageDetail: options.imageDetail,
    stream: options.stream,
    tool: { ...options.tool, ...(mask && { input_image_mask: { image_url: mask } }) },
    savePartials: options.savePartials,
  });
  return { backend, fallback: imagesFallback(options, references) };
}

/** What the result says about an image; the bytes themselves stay in the saved file. */
type ImageMetadata = Omit<ImageItem, "data">;

/** Without the bytes: a run of 10 large images would otherwise hold all of them until it ends. */
function metadataOf({ data: _data, ...metadata }: ImageItem): ImageMetadata {
  return metadata;
}

function describeImage(file: Readonly<SavedFile>, item: ImageMetadata, request: number): SavedImage {
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
    request_index: request,
  };
}

interface SavedEntry {
  request: number;
  item: ImageMetadata;
  file: Readonly<SavedFile>;
}

/** A request that was never sent, because the usage limit was hit or the run was interrupted. */
function notSent(index: number, reason: CodexImagenError): RequestOutcome {
  return { index, requestId: null, imageCount: 0, timedOut: false, retries: 0, error: reason };
}

/** The caller's signal, also aborted with a TimeoutError when the run's deadline passes. */
function withDeadline(signal: AbortSignal | undefined, deadlineMs: number | undefined): { signal: AbortSignal; dispose: () => void } {
  const base = signal ?? new AbortController().signal;
  if (deadlineMs === undefined) return { signal: base, dispose: () => {} };
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new TimeoutError(`The run reached its --deadline of ${deadlineMs / 1000} s. Allow more time with a larger --deadline.`)),
    deadlineMs,
  );
  return { signal: AbortSignal.any([base, deadline.signal]), dispose: () => clearTimeout(timer) };
}

export async function runGeneration(options: GenerateOptions, controls: RunControls = {}): Promise<GenerateResult> {
  const { signal, dispose } = withDeadline(controls.signal, options.deadlineMs);
  try {
    return await generate(options, { ...controls, signal, onEvent: controls.onEvent ?? (() => {}) });
  } finally {
    dispose();
  }
}

type Controls = RunControls & { signal: AbortSignal; onEvent: ProgressListener };

/** A request that waited for a shared slot is not sent once another request of the run hit the usage limit. */
async function sendRequest(
  context: RequestContext,
  index: number,
  save: (item: ImageItem) => Promise<void>,
  controls: Controls,
  rateLimited: () => boolean,
): Promise<RequestOutcome> {
  const { slots } = controls;
  if (slots === undefined) return runRequest(context, index, save);
  let release: () => void;
  try {
    release = await slots.acquire(context.signal);
  } catch (reason) {
    return notSent(index, toCodexImagenError(reason));
  }
  try {
    if (rateLimited()) return notSent(index, limitNotSent());
    const outcome = await runRequest(context, index, save);
    if (outcome.error instanceof RateLimitError) controls.onRateLimit?.(outcome.error);
    return outcome;
  } finally {
    release();
  }
}

function limitNotSent(): RateLimitError {
  return new RateLimitError("Not sent: an earlier request hit the usage limit.", undefined);
}

async function generate(options: GenerateOptions, controls: Controls): Promise<GenerateResult> {
  const { signal, onEvent: onProgress } = controls;
  const started = Date.now();
  const { backend, fallback } = await createBackends(options, signal);
  const session = backend.needsCredential ? await (controls.auth?.session(signal) ?? openAuthSession(options.auth, signal, (message) => onProgress({ type: "warning", message }))) : undefined;
  onProgress({ type: "start", backend: backend.name, model: backend.model, count: options.count, timeoutMs: options.timeoutMs });
  const writer = new ImageWriter({
    output: options.output,
    outDir: options.outDir,
    numbered: options.count > 1,
    jobFiles: options.jobFiles,
    onWarning: (message) => onProgress({ type: "warning", message }),
    formatChecked: backend.sent.output_format !== undefined,
  });
  if (options.jobFiles === undefined) await writer.removeStaleTempFiles();

  const entries: SavedEntry[] = [];
  const saveFor = (request: number) => async (item: ImageItem): Promise<void> => {
    const file = await writer.save(item);
    entries.push({ request, item: metadataOf(item), file });
    onProgress({ type: "image", image: describeImage(file, item, request) });
  };
  const context: RequestContext = {
    backend,
    fallback,
    session,
    sessionId: randomUUID(),
    retries: options.retries,
    timeoutMs: options.timeoutMs,
    signal,
    seenEventTypes: new Set<string>(),
    onProgress,
    spoolImage: () => writer.spool(),
  };
  let rateLimited = false;
  let outcomes: RequestOutcome[];
  try {
    outcomes = await runPool(
      options.count,
      options.concurrency,
      async (index) => {
        const outcome = await sendRequest(context, index, saveFor(index), controls, () => rateLimited);
        if (outcome.error instanceof RateLimitError) rateLimited = true;
        return outcome;
      },
      () => rateLimited || signal.aborted,
      (index) => notSent(index, signal.aborted ? toCodexImagenError(signal.reason) : limitNotSent()),
    );
  } finally {
    await writer.discardSpools();
  }

  // Saved files keep their current path (the first `-o` image moves when a second arrives).
  const images = entries.sort((a, b) => a.request - b.request).map((entry) => describeImage(entry.file, entry.item, entry.request));
  // What the backend that served the run sent: after a fallback to the typed endpoints, not what they dropped.
  const requested = requestedOptions({ tool: context.backend.sent, count: options.count });
  const warnings = mismatchWarnings(images, requested);
  for (const warning of warnings) onProgress({ type: "warning", message: warning.message });

  const result = summarise({
    outcomes,
    images,
    sessionId: context.sessionId,
    endpoint: context.backend.endpoint,
    model: context.backend.model,
    backend: context.backend.name,
    seenEventTypes: context.seenEventTypes,
    elapsedMs: Date.now() - started,
    authRefresh: session?.refreshReport,
    requested,
    warnings,
  });
  const failure = outcomes.every((outcome) => outcome.error) ? outcomes.find((outcome) => outcome.error)?.error : undefined;
  if (failure) throw new RunFailure(failure, result);
  return result;
}
