/** Progress and diagnostics on stderr, filtered by verbosity; stdout belongs to print.ts. */
import type { ProgressEvent } from "../progress.js";
import type { Verbosity } from "./args.js";
import { formatBytes } from "./format.js";
import type { ProgressLine } from "./progress-line.js";

const RANK: Record<Verbosity, number> = { quiet: 0, normal: 1, verbose: 2, debug: 3 };

export class Reporter {
  #line: ProgressLine | undefined;
  readonly #warned = new Set<string>();

  constructor(
    private readonly verbosity: Verbosity,
    private readonly writeLine: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {}

  /** Shows a redrawn status line (TTY only) until `stopLine()`. */
  showLine(line: ProgressLine): void {
    if (this.at("normal")) this.#line = line;
    else line.stop();
  }

  stopLine(): void {
    this.#line?.stop();
    this.#line = undefined;
  }

  private at(level: Verbosity): boolean {
    return RANK[this.verbosity] >= RANK[level];
  }

  private write(line: string): void {
    this.#line?.clear();
    this.writeLine(line);
  }

  info(message: string): void {
    if (this.at("normal")) this.write(message);
  }

  /** Each distinct warning once: parallel requests often hit the same one. */
  warn(message: string): void {
    if (!this.at("normal") || this.#warned.has(message)) return;
    this.#warned.add(message);
    this.write(`warning: ${message}`);
  }

  /** Lines the user asked for explicitly (`--usage`); shown even with `--quiet`. */
  always(message: string): void {
    this.write(message);
  }

  /** The final error is the one line `--quiet` still shows. */
  error(message: string, stack?: string): void {
    this.stopLine();
    this.write(`error: ${message}`);
    if (stack && this.at("debug")) this.write(stack);
  }

  progress(event: ProgressEvent): void {
    this.#line?.update(event);
    switch (event.type) {
      case "start": {
        const target =
          event.backend === "mock" ? "the offline mock backend" : event.backend === "images" ? `${event.model} (typed image endpoints)` : event.model;
        const images = event.count === 1 ? "" : `${event.count} images, `;
        this.info(`generating with ${target} (${images}timeout ${event.timeoutMs / 1000} s per attempt)…`);
        break;
      }
      case "request":
        if (this.at("debug")) this.write(`POST ${event.endpoint} (attempt ${event.attempt}, x-client-request-id ${event.clientRequestId})`);
        break;
      case "response":
        if (this.at("debug")) this.write(`HTTP ${event.status} after ${event.elapsedMs} ms${event.requestId ? ` (request ${event.requestId})` : ""}`);
        break;
      case "event":
        if (this.at("verbose")) this.write(`event ${event.eventType}`);
        break;
      case "bytes":
        if (this.at("debug")) this.write(`request ${event.request + 1}: received ${formatBytes(event.received)}`);
        break;
      case "partial":
        if (this.at("verbose")) this.write(`partial frame ${event.index} of ${event.callId}`);
        break;
      case "image":
        this.info(
          `saved ${event.image.partial ? "partial frame " : ""}${event.image.path} (${event.image.mime}, ${event.image.width ?? "?"}x${event.image.height ?? "?"}, ${formatBytes(event.image.bytes)})`,
        );
        break;
      case "retry":
        this.info(`retrying in ${(event.delayMs / 1000).toFixed(1)} s (attempt ${event.attempt})${this.at("debug") ? `: ${event.reason}` : ""}`);
        break;
      case "auth":
        this.info(event.message);
        break;
      case "warning":
        this.warn(event.message);
        break;
    }
  }
}
