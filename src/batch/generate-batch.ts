/** `generateBatch()`: many jobs, resumable through the manifest in the output directory, the same behaviour as `codex-imagen batch`. */
import { useProxyFromEnv } from "../net/proxy.js";
import type { BatchListener } from "./events.js";
import { IMAGE_FIELDS } from "./job-fields.js";
import type { BatchJob } from "./job.js";
import { runBatch } from "./run-batch.js";
import type { BatchResult } from "./summary.js";
import { BatchInputError, validateJobs } from "./validate.js";
import { DEFAULT_BATCH_CONCURRENCY, DEFAULT_MAX_WAIT_SECONDS, MAX_BATCH_CONCURRENCY, MAX_TIMEOUT_MS } from "../defaults.js";
import { UsageError } from "../errors.js";
import { abortError, linkedSignal } from "../library/generate-images.js";
import { type GenerateImagesOptions, imageFlagValues, optionName, resolveOptions } from "../library/options.js";

/** Defaults for every job (the image options), where the batch goes, and how it resumes. */
export interface GenerateBatchOptions
  extends Omit<GenerateImagesOptions, "prompt" | "references" | "mask" | "output" | "outputDir" | "concurrency" | "savePartials" | "partialImages" | "deadlineMs"> {
  /** Images, `manifest.jsonl` and `index.html` go here; relative to `cwd`. */
  outputDir: string;
  /** Upstream requests at once across all jobs (1–32, default 4). */
  concurrency?: number;
  /** Run jobs whose last record failed again (default true). */
  retryFailed?: boolean;
  /** Run every job again, also those already done (default false). */
  force?: boolean;
  /** Longest wait for one usage-limit reset, in ms (default one hour; 0 stops at the first limit). */
  maxWaitMs?: number;
}

export interface GenerateBatchControls {
  /** Aborting stops launching and cancels running requests; the manifest stays consistent. Rejects with a CodexImagenError. */
  signal?: AbortSignal;
  /** Plan, job starts and ends, skipped jobs, usage-limit waits, each job's own progress, warnings. */
  onEvent?: BatchListener;
}

function batchChoices(options: GenerateBatchOptions): { concurrency: number; maxWaitMs: number } {
  const concurrency = options.concurrency ?? DEFAULT_BATCH_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_BATCH_CONCURRENCY) {
    throw new UsageError(`generateBatch(): concurrency must be a whole number from 1 to ${MAX_BATCH_CONCURRENCY}, not ${String(options.concurrency)}.`);
  }
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_SECONDS * 1000;
  if (typeof maxWaitMs !== "number" || !(maxWaitMs >= 0 && maxWaitMs <= MAX_TIMEOUT_MS)) {
    throw new UsageError(`generateBatch(): maxWaitMs must be from 0 to ${MAX_TIMEOUT_MS}, not ${String(options.maxWaitMs)}.`);
  }
  return { concurrency, maxWaitMs };
}

/** The options that are defaults for every job: all but the batch's own. */
function jobDefaults(options: GenerateBatchOptions): Omit<GenerateImagesOptions, "prompt"> {
  const defaults: Partial<GenerateBatchOptions> = { ...options };
  delete defaults.concurrency;
  delete defaults.retryFailed;
  delete defaults.force;
  delete defaults.maxWaitMs;
  return defaults;
}

/**
 * Runs every job (snake_case fields, as in a JSONL batch file) into `outputDir`, recording each in its
 * `manifest.jsonl` and keeping its `index.html` gallery current. Calling it again with the same jobs
 * resumes: done jobs are skipped, failed and missing ones run. Resolves to the `--json` summary (jobs
 * may have failed: see `counts` and `stopped`); rejects with a `BatchInputError` listing every invalid
 * job before anything is sent, with a `BatchBusyError` when another batch is running in `outputDir`,
 * or with a CodexImagenError when aborted.
 */
export async function generateBatch(jobs: Iterable<BatchJob>, options: GenerateBatchOptions, controls: GenerateBatchControls = {}): Promise<BatchResult> {
  const { concurrency, maxWaitMs } = batchChoices(options);
  const defaults: GenerateImagesOptions = { ...jobDefaults(options), prompt: "batch" };
  const { options: base } = resolveOptions(defaults);
  const image = Object.fromEntries(Object.entries(imageFlagValues(defaults)).filter(([flag]) => (Object.values(IMAGE_FIELDS) as string[]).includes(flag)));
  const records = Array.from(jobs, (fields, index) => ({ line: index + 1, fields: fields as unknown as Record<string, unknown> }));
  const validated = validateJobs(records, { base, image, nameOf: optionName, baseDir: base.cwd });
  if (validated.problems.length > 0) throw new BatchInputError("generateBatch(): the job list", validated.problems, "job");
  if (validated.jobs.length === 0) throw new UsageError("generateBatch(): the job list is empty.");
  for (const message of validated.warnings) controls.onEvent?.({ type: "warning", message });
  useProxyFromEnv(base.auth.env);
  const { signal, dispose } = linkedSignal(controls.signal);
  try {
    return await runBatch(
      validated.jobs,
      base,
      {
        outDir: base.outDir,
        concurrency,
        retryFailed: options.retryFailed ?? true,
        force: options.force ?? false,
        maxWaitMs,
        words: {
          maxWait: `maxWaitMs (${maxWaitMs})`,
          resume: options.force === true ? "call generateBatch() again without force" : "call generateBatch() again with the same jobs",
          outDir: "outputDir",
          nameOf: optionName,
          force: "pass force: true",
        },
      },
      { signal, onEvent: controls.onEvent },
    );
  } catch (thrown) {
    throw signal?.aborted ? abortError(signal.reason) : thrown;
  } finally {
    dispose();
  }
}
