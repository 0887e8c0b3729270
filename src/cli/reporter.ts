/** Progress and diagnostics on stderr, filtered by verbosity; stdout belongs to print.ts. */
import type { ProgressEvent } from "../progress.js";
import type { Verbosity } from "./args.js";

const RANK: Record<Verbosity, number> = { quiet: 0, normal: 1, verbose: 2, debug: 3 };

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1_048_576) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

export class Reporter {
  constructor(
    private readonly verbosity: Verbosity,
    private readonly write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {}

  private at(level: Verbosity): boolean {
    return RANK[this.verbosity] >= RANK[level];
  }

  info(message: string): void {
    if (this.at("normal")) this.write(message);
  }

  warn(message: string): void {
    if (this.at("normal")) this.write(`warning: ${message}`);
  }

  /** The final error is the one line `--quiet` still shows. */
  error(message: string, stack?: string): void {
    this.write(`error: ${message}`);
    if (stack && this.at("debug")) this.write(stack);
  }

  progress(event: ProgressEvent): void {
    switch (event.type) {
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
        if (this.at("debug")) this.write(`received ${formatBytes(event.received)}`);
        break;
      case "image":
        this.info(`saved ${event.image.path} (${event.image.mime}, ${event.image.width ?? "?"}x${event.image.height ?? "?"}, ${formatBytes(event.image.bytes)})`);
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
