/** Upstream request slots shared by several runs (serve, batch): at most `limit` requests at once, the rest wait in order. */

export type ReleaseSlot = () => void;

export class RequestSlots {
  #running = 0;
  readonly #waiting: Array<{ grant: () => void }> = [];

  constructor(readonly limit: number) {}

  /** Requests holding a slot now. */
  get running(): number {
    return this.#running;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Resolves with a release function once a slot is free; rejects with the signal's reason when it aborts first. */
  acquire(signal: AbortSignal): Promise<ReleaseSlot> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    if (this.#running < this.limit) {
      this.#running += 1;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const entry = {
        grant: () => {
          signal.removeEventListener("abort", onAbort);
          resolve(this.#releaser());
        },
      };
      const onAbort = (): void => {
        this.#waiting.splice(this.#waiting.indexOf(entry), 1);
        reject(signal.reason as Error);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.#waiting.push(entry);
    });
  }

  /** A release that works once, handing the slot straight to the next waiter. */
  #releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next === undefined) this.#running -= 1;
      else next.grant();
    };
  }
}
