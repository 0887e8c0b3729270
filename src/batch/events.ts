/** What a batch reports while it runs (the CLI's progress, the library's `onEvent`). */
import type { ProgressEvent } from "../progress.js";
import type { UsageLimits } from "../result.js";
import type { ManifestRecord } from "./manifest.js";

export type BatchEvent =
  /** Jobs known after validation: `toRun` start at once, `toCheck` have a `done` record whose files are being checked. */
  | { type: "plan"; total: number; toRun: number; toCheck: number; outDir: string }
  /** The account's limits, read once as the batch starts (not with the mock backend). */
  | { type: "usage-limits"; limits: UsageLimits }
  /** Not run: done before with its files intact, or failed before and `retryFailed` is off. */
  | { type: "job-skipped"; id: string; line: number; status: "done" | "failed" }
  | { type: "job-start"; id: string; line: number }
  /** Finished and recorded in the manifest. */
  | { type: "job-end"; line: number; record: ManifestRecord }
  /** Hit the usage limit: it runs again after the reset. */
  | { type: "job-requeued"; id: string; line: number }
  /** Nothing is sent until `until` (the reset plus jitter). */
  | { type: "limit-wait"; resetsAt: Date; until: Date }
  | { type: "limit-resume" }
  /** A job's own progress (saved images, retries, warnings). */
  | { type: "job-progress"; id: string; event: ProgressEvent }
  | { type: "warning"; message: string };

export type BatchListener = (event: BatchEvent) => void;
