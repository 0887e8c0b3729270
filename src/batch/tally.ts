/** Running counts of a batch from its events: done, failed, running, waiting, images per minute, ETA. */
import type { BatchEvent } from "./events.js";

export class BatchTally {
  total = 0;
  done = 0;
  failed = 0;
  skipped = 0;
  running = 0;
  /** Images saved by this run. */
  images = 0;
  /** Jobs this run finished (skipped ones excluded): the pace for the ETA. */
  finished = 0;
  /** While a usage limit holds everything back: when sending starts again. */
  waitUntil: Date | undefined;
  readonly #started: number;

  constructor(now = Date.now()) {
    this.#started = now;
  }

  update(event: BatchEvent): void {
    switch (event.type) {
      case "plan":
        this.total = event.total;
        break;
      case "job-skipped":
        this.skipped += 1;
        this[event.status] += 1;
        break;
      case "job-start":
        this.running += 1;
        break;
      case "job-requeued":
        this.running -= 1;
        break;
      case "job-end":
        this.running -= 1;
        this.finished += 1;
        this.images += event.record.images.length;
        this[event.record.status] += 1;
        break;
      case "limit-wait":
        this.waitUntil = event.until;
        break;
      case "limit-resume":
        this.waitUntil = undefined;
        break;
    }
  }

  /** Jobs not started yet (including done ones whose files are still being checked). */
  get waiting(): number {
    return Math.max(0, this.total - this.done - this.failed - this.running);
  }

  imagesPerMinute(now = Date.now()): number {
    const minutes = (now - this.#started) / 60_000;
    return minutes > 0 ? this.images / minutes : 0;
  }

  /** Time left at this run's pace, plus any limit wait; undefined before the first job finished. */
  etaMs(now = Date.now()): number | undefined {
    if (this.finished === 0) return undefined;
    const perJob = (now - this.#started) / this.finished;
    const wait = this.waitUntil ? Math.max(0, this.waitUntil.getTime() - now) : 0;
    return Math.round((this.waiting + this.running) * perJob + wait);
  }
}

/** "42 s", "5 min 24 s", "2 h 05 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}
