/** One batch job: one run with the job's options and file names, and what its outcome means for the batch. */
import type { SharedAuth } from "../auth/credential.js";
import { type CodexImagenError, RateLimitError, toCodexImagenError } from "../errors.js";
import { RunFailure, runGeneration } from "../run/generate.js";
import { requestedOptions } from "../run/mismatches.js";
import type { GenerateOptions } from "../options.js";
import type { ProgressListener } from "../progress.js";
import type { GenerateResult } from "../result.js";
import type { RequestSlots } from "../run/slots.js";
import type { ManifestImage, ManifestRecord } from "./manifest.js";
import type { ValidJob } from "./validate.js";

export type JobOutcome =
  | { kind: "finished"; record: ManifestRecord }
  /** The job hit the usage limit: it is not failed, it runs again once the limit resets. */
  | { kind: "limited"; error: RateLimitError }
  /** The caller aborted: the job runs again next time. */
  | { kind: "interrupted" }
  /** A failure every later job would share (no usable login): the batch stops. */
  | { kind: "fatal"; error: CodexImagenError };

export interface JobContext {
  /** Options every job starts from. */
  base: GenerateOptions;
  outDir: string;
  auth: SharedAuth;
  slots: RequestSlots;
  signal: AbortSignal;
  onRateLimit: (error: RateLimitError) => void;
  onEvent: ProgressListener;
}

function jobOptions(job: ValidJob, context: JobContext): GenerateOptions {
  return {
    ...context.base,
    prompt: job.prompt,
    tool: job.tool,
    count: job.count,
    // Every request of the job may wait for a shared slot; the slots bound the batch.
    concurrency: job.count,
    references: job.references,
    mask: job.mask,
    savePartials: false,
    output: undefined,
    outDir: context.outDir,
    jobFiles: job.files,
  };
}

function images(result: GenerateResult): ManifestImage[] {
  return result.images
    .filter((image) => !image.partial)
    .map((image) => ({
      path: image.path,
      sha256: image.sha256,
      bytes: image.bytes,
      size: image.width !== null && image.height !== null ? `${image.width}x${image.height}` : null,
      quality: image.quality,
      request_id: result.requests[image.request_index]?.request_id ?? null,
    }));
}

function record(job: ValidJob, started: number, result: GenerateResult | undefined, error: CodexImagenError | undefined, options: GenerateOptions): ManifestRecord {
  const failedRequest = result?.requests.find((request) => request.error)?.error;
  const reason = error ? { code: error.code, message: error.message } : (failedRequest ?? null);
  return {
    id: job.id,
    line: job.line,
    status: reason ? "failed" : "done",
    prompt: job.prompt,
    model: result?.model ?? options.model,
    images: result ? images(result) : [],
    error: reason,
    request_ids: (result?.requests ?? []).flatMap((request) => (request.request_id ? [request.request_id] : [])),
    elapsed_ms: Date.now() - started,
    finished_at: new Date().toISOString(),
    requested: result?.requested ?? requestedOptions(options),
    // A batch saves no partial frames, so the result's image_index also counts `images` here.
    warnings: result?.warnings ?? [],
    defaults: job.defaults,
  };
}

const hitLimit = (result: GenerateResult | undefined): boolean => result?.requests.some((request) => request.error?.code === "rate_limited") ?? false;

export async function runJob(job: ValidJob, context: JobContext): Promise<JobOutcome> {
  const started = Date.now();
  const options = jobOptions(job, context);
  const { signal } = context;
  let result: GenerateResult | undefined;
  let error: CodexImagenError | undefined;
  try {
    result = await runGeneration(options, { signal, onEvent: context.onEvent, auth: context.auth, slots: context.slots, onRateLimit: context.onRateLimit });
  } catch (thrown) {
    if (signal.aborted) return { kind: "interrupted" };
    result = thrown instanceof RunFailure ? thrown.result : undefined;
    error = thrown instanceof RunFailure ? thrown.error : toCodexImagenError(thrown);
  }
  if (error instanceof RateLimitError || hitLimit(result)) {
    return { kind: "limited", error: error instanceof RateLimitError ? error : new RateLimitError("A request hit the usage limit.", undefined) };
  }
  if (error?.code.startsWith("auth_")) return { kind: "fatal", error };
  return { kind: "finished", record: record(job, started, result, error, options) };
}
