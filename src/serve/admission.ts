/** Admission: upstream requests of admitted HTTP requests may fill `--concurrency` slots plus `--max-queue` waiting; beyond that, 503 at once. */
import { badRequest, HttpError } from "./openai-errors.js";

export class Admission {
  #admitted = 0;
  readonly #capacity: number;

  constructor(
    readonly concurrency: number,
    readonly maxQueue: number,
  ) {
    this.#capacity = concurrency + maxQueue;
  }

  /** Upstream requests of the requests admitted and not yet finished. */
  get admitted(): number {
    return this.#admitted;
  }

  /**
   * Admits a request that will send `requests` upstream requests, or throws its answer: 400 when it could never be
   * admitted (retrying cannot help), 503 while the queue is full. Call the release once it is done.
   */
  admit(requests: number): () => void {
    if (requests > this.#capacity) {
      throw badRequest(
        "n",
        `n is ${requests}, more than this server can ever take in one request: --concurrency ${this.concurrency} (upstream requests at once) plus --max-queue ${this.maxQueue} (waiting) = ${this.#capacity}. ` +
          `Ask for n of at most ${this.#capacity}, or restart codex-imagen serve with a larger --concurrency or --max-queue.`,
      );
    }
    if (this.#admitted + requests > this.#capacity) {
      throw new HttpError(503, "The server is busy: its queue is full. Retry in a moment.", { code: "queue_full", retryAfterSeconds: 1 });
    }
    this.#admitted += requests;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#admitted -= requests;
    };
  }
}
