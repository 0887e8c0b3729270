/** Batch progress on stderr: a live block on a terminal, plain lines otherwise; stdout stays for image paths. */
import { formatUsageLimits } from "../backend/usage-limits.js";
import type { BatchEvent } from "./events.js";
import { BatchTally, formatDuration } from "./tally.js";

export interface BatchProgress {
  event(event: BatchEvent): void;
  /** Writes to stdout without breaking a live block drawn on the same terminal. */
  stdout(text: string): void;
  stop(): void;
}

function localTime(date: Date): string {
  return date.toLocaleTimeString();
}

/** The message for one event, or undefined when the event shows only in the counts. */
export function messageFor(event: BatchEvent, tally: BatchTally): string | undefined {
  switch (event.type) {
    case "plan":
      return `batch: ${event.total} job${event.total === 1 ? "" : "s"}${event.toCheck > 0 ? ` (${event.toCheck} done before: their files are checked, then skipped)` : ""}; images, manifest.jsonl and index.html go to ${event.outDir}`;
    case "job-end": {
      const { record } = event;
      const progress = `[${tally.done + tally.failed}/${tally.total}]`;
      if (record.status === "failed") return `failed ${record.id} (line ${event.line}): ${record.error?.message ?? "unknown error"} ${progress}`;
      return `done ${record.id} (line ${event.line}): ${record.images.length} image${record.images.length === 1 ? "" : "s"} in ${(record.elapsed_ms / 1000).toFixed(1)} s ${progress}`;
    }
    case "usage-limits":
      return formatUsageLimits(event.limits)
        .map((line) => `limits ${line}`)
        .join("\n");
    case "limit-wait":
      return `usage limit reached: nothing is sent until it resets at ${localTime(event.resetsAt)} (in ${formatDuration(event.until.getTime() - Date.now())}); running jobs finish. Interrupting is safe: re-running resumes.`;
    case "limit-resume":
      return "usage limit reset: continuing.";
    case "job-progress":
      return event.event.type === "warning" ? `warning: ${event.id}: ${event.event.message}` : undefined;
    case "warning":
      return `warning: ${event.message}`;
    default:
      return undefined;
  }
}

/** One line per finished job and per limit wait (stderr is a file or a pipe). */
export class ProgressLines implements BatchProgress {
  readonly #tally = new BatchTally();
  readonly #seen = new Set<string>();

  constructor(private readonly stderr: NodeJS.WritableStream) {}

  event(event: BatchEvent): void {
    this.#tally.update(event);
    // The limits are for a person at a terminal; a log gets one line per job.
    if (event.type === "usage-limits") return;
    const line = messageFor(event, this.#tally);
    if (line === undefined || this.#seen.has(line)) return;
    if (event.type === "job-progress" || event.type === "warning") this.#seen.add(line);
    this.stderr.write(`${line}\n`);
  }

  stdout(text: string): void {
    process.stdout.write(text);
  }

  stop(): void {}
}

export function blockText(tally: BatchTally, now = Date.now()): string {
  const counts = `${tally.done}/${tally.total} done · ${tally.failed} failed · ${tally.running} running · ${tally.waiting} waiting`;
  const eta = tally.etaMs(now);
  const pace = `${tally.imagesPerMinute(now).toFixed(1)} images/min · ETA ${eta === undefined ? "–" : formatDuration(eta)}${tally.skipped > 0 ? ` · ${tally.skipped} skipped (done before)` : ""}`;
  const lines = [`batch  ${counts}`, `       ${pace}`];
  if (tally.waitUntil) {
    lines.push(`       usage limit: nothing is sent until ${localTime(tally.waitUntil)} (${formatDuration(tally.waitUntil.getTime() - now)} left)`);
  }
  return lines.join("\n");
}
