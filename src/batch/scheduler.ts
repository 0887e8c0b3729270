/** Launches jobs while requests are free, waits out usage limits without sending anything, and stops cleanly. */
import { resetPhrase } from "../backend/rate-limits.js";
import { sleep } from "../sleep.js";
import { type CodexImagenError, RateLimitError, toCodexImagenError } from "../errors.js";
import type { RequestSlots } from "../run/slots.js";
import type { ValidJob } from "./validate.js";

/** When the backend does not say when its limit resets. */
export const UNKNOWN_RESET_WAIT_MS = 60_000;
const MAX_JITTER_MS = 1000;

/** How the door the batch came through spells what the user can do. */
export interface DoorWords {
  /** e.g. "--max-wait 3600 s" */
  maxWait: string;
  /** e.g. "re-run the same command" */
  resume: string;
}

export interface SchedulerOptions {
  /** Upstream requests at once across all jobs. */
  concurrency: number;
  maxWaitMs: number;
  slots: RequestSlots;
  signal: AbortSignal;
  words: DoorWords;
  /**
   * Runs one job to its end; it may requeue the job or stop the batch. It calls `requestsDone` once the job sends
   * nothing more, so the next job starts while this one is still being recorded.
   */
  execute: (job: ValidJob, requestsDone: () => void) => Promise<void>;
  onLimitWait: (resetsAt: Date, until: Date) => void;
  onLimitResume: () => void;
}

export class BatchScheduler {
  readonly #queue: ValidJob[] = [];
  readonly #running = new Set<Promise<void>>();
  /** Requests the running jobs may make. */
  #inFlight = 0;
  #moreComing = true;
  #limit: { resetsAt: number | undefined } | undefined;
  #stopped: CodexImagenError | undefined;
  #wake: () => void = () => undefined;

  constructor(private readonly options: SchedulerOptions) {}

  add(job: ValidJob): void {
    this.#queue.push(job);
    this.#wake();
  }

  /** A job that hit the usage limit goes first once it resets. */
  requeue(job: ValidJob): void {
    this.#queue.unshift(job);
    this.#wake();
  }

  noMoreJobs(): void {
    this.#moreComing = false;
    this.#wake();
  }

  /** Called before the limited request gives back its slot, so no waiting request is sent until the reset. */
  limitReached(error: RateLimitError): void {
    const resetsAt = error.resetsAt?.getTime();
    if (this.#limit === undefined) {
      this.options.slots.pause();
      this.#limit = { resetsAt };
    } else if (resetsAt !== undefined && resetsAt > (this.#limit.resetsAt ?? 0)) {
      this.#limit.resetsAt = resetsAt;
    }
    this.#wake();
  }

  /** Stops launching; requests not yet sent are refused with `error`; running ones finish. */
  stop(error: CodexImagenError): void {
    if (this.#stopped) return;
    this.#stopped = error;
    this.options.slots.close(error);
    this.#wake();
  }

  get stopped(): CodexImagenError | undefined {
    return this.#stopped;
  }

  /** Resolves once every job has run or the batch stopped (then with the reason); running jobs always finish first. */
  async run(): Promise<CodexImagenError | undefined> {
    const { signal } = this.options;
    const onAbort = (): void => this.#wake();
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      for (;;) {
        const woken = new Promise<void>((resolve) => (this.#wake = resolve));
        if (signal.aborted) break;
        if (this.#limit && !this.#stopped) {
          await this.#waitForReset(this.#limit);
          continue;
        }
        if (!this.#stopped) this.#launch();
        const drained = this.#stopped !== undefined || (this.#queue.length === 0 && !this.#moreComing);
        if (drained && this.#running.size === 0) break;
        await woken;
      }
      await Promise.all(this.#running);
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
    return this.#stopped;
  }

  #launch(): void {
    // Jobs still being recorded count too, so a slow disk cannot pile up finished jobs in memory.
    while (this.#queue.length > 0 && this.#inFlight < this.options.concurrency && this.#running.size < 2 * this.options.concurrency) {
      const job = this.#queue.shift() as ValidJob;
      this.#inFlight += job.count;
      let counted = true;
      const requestsDone = (): void => {
        if (!counted) return;
        counted = false;
        this.#inFlight -= job.count;
        this.#wake();
      };
      const running: Promise<void> = this.options
        .execute(job, requestsDone)
        .catch((error: unknown) => this.stop(toCodexImagenError(error)))
        .finally(() => {
          requestsDone();
          this.#running.delete(running);
          this.#wake();
        });
      this.#running.add(running);
    }
  }

  async #waitForReset(limit: { resetsAt: number | undefined }): Promise<void> {
    const { maxWaitMs, signal, words } = this.options;
    const resetsAt = limit.resetsAt ?? Date.now() + UNKNOWN_RESET_WAIT_MS;
    const waitMs = resetsAt - Date.now();
    if (waitMs > maxWaitMs) {
      const when = resetPhrase(new Date(resetsAt), Math.ceil(waitMs / 1000));
      this.stop(new RateLimitError(`Usage limit reached; it ${when}, later than ${words.maxWait} allows. Stopped; ${words.resume} after the reset to resume.`, new Date(resetsAt)));
      return;
    }
    // Jitter: many clients released by one reset should not all come back in the same second.
    const until = resetsAt + Math.random() * MAX_JITTER_MS;
    this.options.onLimitWait(new Date(resetsAt), new Date(until));
    await sleep(Math.max(0, until - Date.now()), signal).catch(() => undefined);
    if (signal.aborted || (this.#limit?.resetsAt ?? 0) > resetsAt) return;
    this.#limit = undefined;
    this.options.slots.resume();
    this.options.onLimitResume();
  }
}
