/** The live block on a terminal (log-update): counts, pace, ETA and the limit countdown; messages scroll above it. */
import { createLogUpdate } from "log-update";
import type { BatchEvent } from "./events.js";
import { type BatchProgress, blockText, messageFor } from "./progress.js";
import { BatchTally } from "./tally.js";

const REDRAW_MS = 100;
const TICK_MS = 1000;

export class ProgressBlock implements BatchProgress {
  readonly #tally = new BatchTally();
  readonly #log: ReturnType<typeof createLogUpdate>;
  readonly #seen = new Set<string>();
  readonly #ticker: NodeJS.Timeout;
  #lastDraw = 0;

  constructor(
    stderr: NodeJS.WriteStream,
    private readonly stdoutIsTerminal: boolean,
  ) {
    this.#log = createLogUpdate(stderr);
    // The countdown and the pace move on their own.
    this.#ticker = setInterval(() => this.#draw(), TICK_MS);
    this.#ticker.unref();
  }

  event(event: BatchEvent): void {
    this.#tally.update(event);
    const message = event.type === "job-end" && event.record.status === "done" ? undefined : messageFor(event, this.#tally);
    if (message !== undefined && !this.#seen.has(message)) {
      if (event.type === "job-progress" || event.type === "warning") this.#seen.add(message);
      this.#log.persist(message);
      this.#draw();
    } else if (Date.now() - this.#lastDraw >= REDRAW_MS) this.#draw();
  }

  stdout(text: string): void {
    if (!this.stdoutIsTerminal) {
      process.stdout.write(text);
      return;
    }
    this.#log.clear();
    process.stdout.write(text);
    this.#draw();
  }

  stop(): void {
    clearInterval(this.#ticker);
    this.#draw();
    this.#log.done();
  }

  #draw(): void {
    this.#lastDraw = Date.now();
    this.#log(blockText(this.#tally));
  }
}
