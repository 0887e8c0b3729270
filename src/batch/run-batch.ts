/** A whole batch: hold the out dir, resume from the manifest, run jobs through shared slots and one login, record each, keep the gallery current. */
import { mkdir, rm } from "node:fs/promises";
import { basename, extname, isAbsolute, relative } from "node:path";
import { createSharedAuth } from "../auth/index.js";
import { CodexImagenError, toCodexImagenError } from "../errors.js";
import { GalleryUpdates, galleryPath } from "./gallery/write.js";
import { removeStaleTempFiles } from "../images/save.js";
import type { GenerateOptions } from "../options.js";
import { RequestSlots } from "../run/slots.js";
import { readBatchLimits } from "./account-limits.js";
import { changedDefaultsMessages, type ChangedDefaultsWords } from "./changed-defaults.js";
import type { BatchListener } from "./events.js";
import { type ManifestRecord, ManifestWriter, manifestPath, readManifest } from "./manifest.js";
import { lockOutDir } from "./out-dir-lock.js";
import { filesIntact, planJobs, type ResumeChoices } from "./plan.js";
import { runJob } from "./run-job.js";
import { BatchScheduler, type DoorWords } from "./scheduler.js";
import { type BatchResult, summariseBatch } from "./summary.js";
import { fileStems, type ValidJob } from "./validate.js";

/** Everything the batch's messages spell as the door it came through does. */
export interface BatchWords extends DoorWords, ChangedDefaultsWords {
  /** The option that names another output directory: `--out-dir`, `outputDir`. */
  outDir: string;
}

export interface BatchSettings extends ResumeChoices {
  outDir: string;
  /** Upstream requests at once across all jobs. */
  concurrency: number;
  /** Longest wait for one usage-limit reset. */
  maxWaitMs: number;
  words: BatchWords;
}

/** The batch's signal aborted: running jobs stopped, the manifest is consistent; the message says how many jobs are left and how to resume. */
class BatchInterruptedError extends CodexImagenError {
  constructor(reason: unknown, left: number, total: number, resume: string) {
    const cause = toCodexImagenError(reason);
    const jobs = `${left} of ${total} job${total === 1 ? "" : "s"} ${left === 1 ? "is" : "are"} left`;
    super(cause.code, `${cause.message} ${jobs}; ${resume} to resume.`, { cause: reason }, cause.exitCode);
  }
}

export interface BatchControls {
  signal?: AbortSignal;
  onEvent?: BatchListener;
}

/** Done records are checked a few at a time, beside the running jobs. */
const CHECKS_AT_ONCE = 4;

/** Which job of this batch each file name (without extension, lower case) belongs to. */
function fileOwners(jobs: readonly ValidJob[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const job of jobs) for (const stem of fileStems(job)) owners.set(stem.toLowerCase(), job.id);
  return owners;
}

/**
 * Files of the job's earlier record that its new run did not write again (e.g. its type changed): removed, when
 * they lie in the out dir and no other job of the batch now owns their name.
 */
async function removeReplaced(previous: ManifestRecord | undefined, next: ManifestRecord, outDir: string, owners: ReadonlyMap<string, string>): Promise<void> {
  if (previous === undefined) return;
  const kept = new Set(next.images.map((image) => image.path));
  for (const { path } of previous.images) {
    const rel = relative(outDir, path);
    const owner = owners.get(basename(path, extname(path)).toLowerCase());
    if (kept.has(path) || rel === "" || rel.startsWith("..") || isAbsolute(rel) || (owner !== undefined && owner !== next.id)) continue;
    await rm(path, { force: true });
  }
}

/** Jobs a re-run would still run: no record yet, or a failed one it retries. */
function jobsLeft(jobs: readonly ValidJob[], records: ReadonlyMap<string, ManifestRecord>, retryFailed: boolean): number {
  return jobs.filter((job) => {
    const record = records.get(job.id);
    return record === undefined || (record.status === "failed" && retryFailed);
  }).length;
}

export async function runBatch(jobs: readonly ValidJob[], base: GenerateOptions, settings: BatchSettings, controls: BatchControls = {}): Promise<BatchResult> {
  const signal = controls.signal ?? new AbortController().signal;
  const emit: BatchListener = controls.onEvent ?? (() => undefined);
  await mkdir(settings.outDir, { recursive: true });
  const lock = await lockOutDir(settings.outDir, settings.words.outDir, (message) => emit({ type: "warning", message }));
  try {
    return await runLocked(jobs, base, settings, signal, emit);
  } finally {
    await lock.release();
  }
}

async function runLocked(jobs: readonly ValidJob[], base: GenerateOptions, settings: BatchSettings, signal: AbortSignal, emit: BatchListener): Promise<BatchResult> {
  const { outDir } = settings;
  await removeStaleTempFiles(outDir);
  const manifest = await readManifest(outDir);
  if (manifest.ignoredLines.length > 0) {
    emit({ type: "warning", message: `${manifestPath(outDir)}: line(s) ${manifest.ignoredLines.join(", ")} are not job records and were ignored.` });
  }
  const records = manifest.records;
  const owners = fileOwners(jobs);
  const writer = await ManifestWriter.open(outDir);
  const gallery = new GalleryUpdates(outDir, () => records.values(), (error) =>
    emit({ type: "warning", message: `Could not update the gallery ${galleryPath(outDir)}: ${toCodexImagenError(error).message}` }),
  );

  const plan = planJobs(jobs, records, settings);
  emit({ type: "plan", total: jobs.length, toRun: plan.run.length, toCheck: plan.check.length, outDir });
  const skipped = new Set<string>();
  const finished = new Set<string>();
  for (const { job } of plan.skipped) {
    skipped.add(job.id);
    emit({ type: "job-skipped", id: job.id, line: job.line, status: "failed" });
  }

  // Checking done jobs' files and drawing the first gallery wait until the first request is out: a resumed batch sends at once.
  let markSending = (): void => undefined;
  const sending = new Promise<void>((resolve) => (markSending = resolve));
  if (plan.run.length === 0) markSending();

  const slots = new RequestSlots(settings.concurrency);
  const auth = createSharedAuth(base.auth, signal);
  // Beside the first requests, not before them: a slow usage endpoint never delays the batch.
  const usageLimits = base.backend === "mock" ? undefined : readBatchLimits(auth, base.baseUrl, signal, emit);
  const scheduler: BatchScheduler = new BatchScheduler({
    concurrency: settings.concurrency,
    maxWaitMs: settings.maxWaitMs,
    slots,
    signal,
    words: settings.words,
    onLimitWait: (resetsAt, until) => emit({ type: "limit-wait", resetsAt, until }),
    onLimitResume: () => emit({ type: "limit-resume" }),
    execute: async (job, requestsDone) => {
      emit({ type: "job-start", id: job.id, line: job.line });
      const outcome = await runJob(job, {
        base,
        outDir,
        auth,
        slots,
        signal,
        onRateLimit: (error) => scheduler.limitReached(error),
        onEvent: (event) => {
          if (event.type === "request") markSending();
          emit({ type: "job-progress", id: job.id, event });
        },
      });
      requestsDone();
      markSending();
      if (outcome.kind === "limited") {
        // Once the batch stopped, a job refused its slot runs next time instead.
        if (!scheduler.stopped) scheduler.requeue(job);
        emit({ type: "job-requeued", id: job.id, line: job.line });
      } else if (outcome.kind === "fatal") scheduler.stop(outcome.error);
      else if (outcome.kind === "finished") {
        await removeReplaced(records.get(job.id), outcome.record, outDir, owners);
        await writer.append(outcome.record);
        records.set(job.id, outcome.record);
        finished.add(job.id);
        emit({ type: "job-end", line: job.line, record: outcome.record });
        gallery.request();
      }
    },
  });
  for (const job of plan.run) scheduler.add(job);

  let checked = 0;
  const kept: Array<{ job: ValidJob; record: ManifestRecord }> = [];
  // Checked to the end even when the batch stops, so the counts say which jobs are done.
  const checkDone = async (): Promise<void> => {
    for (let next = plan.check[checked++]; next !== undefined && !signal.aborted; next = plan.check[checked++]) {
      if (await filesIntact(next.record)) {
        skipped.add(next.job.id);
        kept.push(next);
        emit({ type: "job-skipped", id: next.job.id, line: next.job.line, status: "done" });
      } else scheduler.add(next.job);
    }
  };
  const checking = sending
    .then(async () => {
      gallery.request();
      await Promise.all(Array.from({ length: CHECKS_AT_ONCE }, checkDone));
      if (signal.aborted) return;
      for (const message of changedDefaultsMessages(kept, settings.words)) emit({ type: "warning", message });
    })
    .finally(() => scheduler.noMoreJobs());

  let stopped: CodexImagenError | undefined;
  try {
    stopped = await scheduler.run();
    await checking;
  } finally {
    await writer.close();
    await gallery.flush().catch((error: unknown) => emit({ type: "warning", message: `Could not write the gallery: ${toCodexImagenError(error).message}` }));
  }
  if (signal.aborted) throw new BatchInterruptedError(signal.reason, jobsLeft(jobs, records, settings.retryFailed), jobs.length, settings.words.resume);
  return summariseBatch({ jobs, records, skipped, finished, outDir, stopped, usageLimits: await usageLimits });
}
