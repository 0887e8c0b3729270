/** Runs tasks one after another in the order they were given (a failed one is reported and the next ones still run): the page gets each preview before its image, and all of them before the end. */
export class InOrder {
  #last: Promise<void> = Promise.resolve();

  constructor(private readonly onError: (error: unknown) => void) {}

  add(task: () => void | Promise<void>): void {
    this.#last = this.#last.then(task).catch(this.onError);
  }

  get done(): Promise<void> {
    return this.#last;
  }
}
