/** The one redrawn status line on a TTY: elapsed time, bytes received, partial frames, images saved. */
import type { ProgressEvent } from "../progress.js";
import { formatBytes } from "./format.js";

const REDRAW_INTERVAL_MS = 100;

export class ProgressLine {
  readonly #started = Date.now();
  readonly #bytesByRequest = new Map<number, number>();
  #frames = 0;
  #images = 0;
  #shown = false;
  #lastDraw = 0;
  readonly #ticker: NodeJS.Timeout;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly expectedImages: number,
  ) {
    this.#ticker = setInterval(() => this.#draw(), 1000);
    this.#ticker.unref();
  }

  update(event: ProgressEvent): void {
    if (event.type === "bytes") this.#bytesByRequest.set(event.request, event.received);
    else if (event.type === "partial") this.#frames += 1;
    else if (event.type === "image" && !event.image.partial) this.#images += 1;
    else return;
    if (Date.now() - this.#lastDraw >= REDRAW_INTERVAL_MS) this.#draw();
  }

  /** Removes the line so an ordinary message can be printed in its place. */
  clear(): void {
    if (this.#shown) this.stream.write("\r\x1b[K");
    this.#shown = false;
  }

  stop(): void {
    clearInterval(this.#ticker);
    this.clear();
  }

  #draw(): void {
    this.#lastDraw = Date.now();
    const seconds = Math.floor((Date.now() - this.#started) / 1000);
    let bytes = 0;
    for (const value of this.#bytesByRequest.values()) bytes += value;
    const parts = [`${seconds} s`, `${formatBytes(bytes)} received`];
    if (this.#frames > 0) parts.push(`${this.#frames} partial frame${this.#frames === 1 ? "" : "s"}`);
    parts.push(`${this.#images}/${this.expectedImages} image${this.expectedImages === 1 ? "" : "s"}`);
    this.stream.write(`\r\x1b[K… ${parts.join(" · ")}`);
    this.#shown = true;
  }
}
