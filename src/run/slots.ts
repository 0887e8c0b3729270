/** Upstream request slots shared by several runs (serve, batch): at most `limit` requests at once, the rest wait in order. */

export type ReleaseSlot = () => void;

interface Waiter {
  grant: () => void;
  refuse: (reason: Error) => void;
}

export class RequestSlots {
  #running = 0;
  readonly #waiting: Waiter[] = [];
  #paused = false;
  #closedWith: Error | undefined;

  constructor(readonly limit: number) {}

  /** Requests holding a slot now. */
  get running(): number {
    return this.#running;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Resolves with a release function once a slot is free; rejects with the signal's reason when it aborts first. */
  acquire(signal: AbortSignal): Promise<ReleaseSlot> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    if (this.#closedWith) return Promise.reject(this.#closedWith);
    if (!this.#paused && this.#running < this.limit) {
      this.#running += 1;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const leave = (): void => {
        signal.removeEventListener("abort", onAbort);
        this.#waiting.splice(this.#waiting.indexOf(entry), 1);
      };
      const entry: Waiter = {
        grant: () => {
          leave();
          this.#running += 1;
          resolve(this.#releaser());
        },
        refuse: (reason) => {
          leave();
          reject(reason);
        },
      };
      const onAbort = (): void => entry.refuse(signal.reason as Error);
      signal.addEventListener("abort", onAbort, { once: true });
      this.#waiting.push(entry);
    });
  }

  /** Grants no slot until `resume()` (e.g. until a usage limit resets): holders finish, everyone else waits. */
  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    this.#grantFree();
  }

  /** Refuses every waiting and later request with `reason`; holders finish. */
  close(reason: Error): void {
    this.#closedWith = reason;
    for (const waiter of [...this.#waiting]) waiter.refuse(reason);
  }

  #grantFree(): void {
    while (!this.#paused && this.#running < this.limit) {
      const next = this.#waiting[0];
      if (next === undefined) return;
      next.grant();
    }
  }

  /** A release that works once, handing the slot to the longest waiter. */
  #releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#running -= 1;
      this.#grantFree();
    };
  }
}
