/** Admission: upstream requests of admitted HTTP requests may fill `--concurrency` slots plus `--max-queue` waiting; beyond that, 503 at once. */
import { HttpError } from "./openai-errors.js";

export class Admission {
  #admitted = 0;

  constructor(readonly capacity: number) {}

  /** Upstream requests of the requests admitted and not yet finished. */
  get admitted(): number {
    return this.#admitted;
  }

  /** Admits a request that will send `requests` upstream requests, or throws the 503 answer; call the release once it is done. */
  admit(requests: number): () => void {
    if (this.#admitted + requests > this.capacity) {
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
