/** MCP progress notifications for one tool call: on start, on notable events, and on a timer in between. */
import type { ProgressEvent } from "../progress.js";

/** Spec §0 asks for at least one every 10 s; half that leaves room for a slow pipe. */
export const PROGRESS_INTERVAL_MS = 5_000;

/** Sends one notification; `progress` grows with every call, as the MCP spec requires. */
export type SendProgress = (progress: number, message: string) => Promise<void>;

export class ToolProgress {
  readonly #send: SendProgress;
  readonly #count: number;
  readonly #started = Date.now();
  readonly #bytes = new Map<number, number>();
  #sent = 0;
  #partials = 0;
  #saved = 0;
  #note = "starting";
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(send: SendProgress, count: number) {
    this.#send = send;
    this.#count = count;
  }

  start(): void {
    this.#timer = setInterval(() => this.#emit(), PROGRESS_INTERVAL_MS);
    this.#timer.unref();
    this.#emit();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  readonly onEvent = (event: ProgressEvent): void => {
    switch (event.type) {
      case "start":
        this.#note = `generating with the ${event.backend} backend`;
        return this.#emit();
      case "bytes":
        this.#bytes.set(event.request, event.received);
        return;
      case "partial":
        this.#partials += 1;
        this.#note = "partial frame received";
        return this.#emit();
      case "image":
        if (event.image.partial) return;
        this.#saved += 1;
        this.#note = `saved ${event.image.path}`;
        return this.#emit();
      case "retry":
        this.#note = `retrying in ${Math.round(event.delayMs / 1000)} s (${event.reason})`;
        return this.#emit();
      default:
        return;
    }
  };

  #emit(): void {
    if (this.#timer === undefined) return;
    const elapsed = Math.round((Date.now() - this.#started) / 1000);
    const received = [...this.#bytes.values()].reduce((sum, bytes) => sum + bytes, 0);
    const parts = [`${elapsed} s`, `${this.#saved}/${this.#count} image${this.#count === 1 ? "" : "s"} saved`];
    if (received > 0) parts.push(`${Math.round(received / 1024)} KB received`);
    if (this.#partials > 0) parts.push(`${this.#partials} partial frame${this.#partials === 1 ? "" : "s"}`);
    this.#sent += 1;
    // A lost notification is no reason to fail the generation.
    this.#send(this.#sent, `${this.#note}: ${parts.join(", ")}`).catch(() => undefined);
  }
}
