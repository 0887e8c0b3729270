/**
 * Reads an append-only log a piece at a time: each call reads only the bytes appended since the last one, splits
 * them on `\n` bytes (a line is joined once, at its end), and leaves an unterminated last line, which another
 * process may still be writing, for the next call.
 */
import { open, stat, type FileHandle } from "node:fs/promises";

const CHUNK_BYTES = 256 * 1024;
/** A record is a few KB; a longer line is damage, skipped without holding it in memory. */
export const MAX_LINE_BYTES = 1024 * 1024;

/** What a read finds, in file order. */
export interface LogReader {
  /** The file was replaced or shrank: what was read before is void, and reading starts again at line 1. */
  restart(): void;
  /** `offset`: where the line starts in the file. */
  line(bytes: Buffer, lineNumber: number, offset: number): void;
  /** A line longer than MAX_LINE_BYTES, skipped. */
  overlong(lineNumber: number): void;
}

export class LogTail {
  /** Where the first line not yet complete starts. */
  #offset = 0;
  #linesRead = 0;
  #identity: string | undefined;

  constructor(readonly file: string) {}

  /** The file read last (device and inode): while it stays the same, a line read stays at its offset. */
  get identity(): string | undefined {
    return this.#identity;
  }

  /** Forgets what was read: the next read starts again at line 1 (for a file rewritten in place, same inode and size). */
  invalidate(): void {
    this.#identity = undefined;
  }

  /** Hands `reader` each complete line appended since the last call, with its 1-based number. */
  async read(reader: LogReader): Promise<void> {
    const seen = await statOrUndefined(this.file);
    if (seen !== undefined && identityOf(seen) === this.#identity && seen.size === this.#offset) return;
    let handle: FileHandle;
    try {
      handle = await open(this.file, "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      this.#restart(undefined, reader);
      return;
    }
    try {
      const current = await handle.stat();
      const identity = identityOf(current);
      if (identity !== this.#identity || current.size < this.#offset) this.#restart(identity, reader);
      await this.#readLines(handle, current.size, reader);
    } finally {
      await handle.close();
    }
  }

  #restart(identity: string | undefined, reader: LogReader): void {
    const hadRead = this.#identity !== undefined || this.#offset > 0;
    this.#identity = identity;
    this.#offset = 0;
    this.#linesRead = 0;
    if (hadRead) reader.restart();
  }

  async #readLines(handle: FileHandle, end: number, reader: LogReader): Promise<void> {
    let pieces: Buffer[] = [];
    let pending = 0;
    let position = this.#offset;
    while (position < end) {
      // A fresh buffer per chunk: the pieces of an unfinished line keep pointing into it.
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, end - position));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      let start = 0;
      for (;;) {
        const lf = chunk.indexOf(0x0a, start);
        if (lf === -1 || lf >= bytesRead) break;
        this.#linesRead += 1;
        if (pending + lf - start > MAX_LINE_BYTES) reader.overlong(this.#linesRead);
        else reader.line(pieces.length === 0 ? chunk.subarray(start, lf) : Buffer.concat([...pieces, chunk.subarray(start, lf)]), this.#linesRead, this.#offset);
        pieces = [];
        pending = 0;
        start = lf + 1;
        this.#offset = position + start;
      }
      if (start < bytesRead) {
        pending += bytesRead - start;
        if (pending <= MAX_LINE_BYTES) pieces.push(chunk.subarray(start, bytesRead));
        else pieces = [];
      }
      position += bytesRead;
    }
  }
}

async function statOrUndefined(file: string) {
  try {
    return await stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export function identityOf(stats: { dev: number; ino: number }): string {
  return `${stats.dev}:${stats.ino}`;
}
