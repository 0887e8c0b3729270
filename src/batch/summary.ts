/** The batch's result: counts, one report per job, where the manifest and the gallery are (`--json`, the library). */
import type { CodexImagenError, ErrorCode } from "../errors.js";
import type { UsageLimits } from "../result.js";
import { galleryPath } from "./gallery/write.js";
import { type ManifestRecord, manifestPath } from "./manifest.js";
import type { ValidJob } from "./validate.js";

/** A job's last record (`skipped`: from an earlier run), or `not_run` when the batch stopped or was interrupted first. */
export type BatchJobReport = { line: number; skipped: boolean } & (ManifestRecord | { id: string; status: "not_run" });

export interface BatchResult {
  out_dir: string;
  manifest: string;
  gallery: string;
  counts: { total: number; done: number; failed: number; skipped: number; not_run: number };
  jobs: BatchJobReport[];
  /** Why the batch stopped before every job ran: a usage limit past the longest wait, or no usable login. */
  stopped?: { code: ErrorCode; message: string };
  /** The account's limits as the batch started; null when they could not be read, absent with the mock backend. */
  usage_limits?: UsageLimits | null;
}

export interface BatchSummaryInput {
  jobs: readonly ValidJob[];
  records: ReadonlyMap<string, ManifestRecord>;
  /** Ids whose earlier record stood. */
  skipped: ReadonlySet<string>;
  /** Ids recorded by this run. */
  finished: ReadonlySet<string>;
  outDir: string;
  stopped: CodexImagenError | undefined;
  usageLimits: UsageLimits | null | undefined;
}

export function summariseBatch(input: BatchSummaryInput): BatchResult {
  const counts = { total: input.jobs.length, done: 0, failed: 0, skipped: input.skipped.size, not_run: 0 };
  const reports = input.jobs.map((job): BatchJobReport => {
    const skipped = input.skipped.has(job.id);
    // A record from an earlier run that this run meant to redo but did not reach (it stopped first) does not count.
    const current = skipped || input.finished.has(job.id) ? input.records.get(job.id) : undefined;
    if (current === undefined) {
      counts.not_run += 1;
      return { id: job.id, status: "not_run", line: job.line, skipped };
    }
    counts[current.status] += 1;
    return { ...current, line: job.line, skipped };
  });
  return {
    out_dir: input.outDir,
    manifest: manifestPath(input.outDir),
    gallery: galleryPath(input.outDir),
    counts,
    jobs: reports,
    ...(input.stopped && { stopped: { code: input.stopped.code, message: input.stopped.message } }),
    ...(input.usageLimits !== undefined && { usage_limits: input.usageLimits }),
  };
}
