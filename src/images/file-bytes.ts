/**
 * A file's bytes for the image checks, read block by block as they ask for them: a spooled image is checked without
 * being read back whole. The reads are synchronous because the checks are; they hit a file just written (page cache).
 */
import { readSync } from "node:fs";
import type { ByteSource } from "./slabs.js";

const BLOCK = 64 * 1024;
/** The checks read the head, the tail and forward jumps: a few blocks cover them. */
const CACHED_BLOCKS = 4;

export class FileBytes implements ByteSource {
  readonly length: number;
  readonly #fd: number;
  /** Block number → a BLOCK-sized buffer holding it (the last block only in part), least recently used first. */
  readonly #blocks = new Map<number, Buffer>();

  constructor(fd: number, length: number) {
    this.#fd = fd;
    this.length = length;
  }

  at(index: number): number | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) return undefined;
    const number = Math.floor(index / BLOCK);
    const block = this.#blocks.get(number) ?? this.#read(number);
    this.#blocks.delete(number);
    this.#blocks.set(number, block);
    return block[index - number * BLOCK];
  }

  #read(number: number): Buffer {
    const start = number * BLOCK;
    const oldest = this.#blocks.size >= CACHED_BLOCKS ? this.#blocks.keys().next().value : undefined;
    // The evicted block's buffer is reused: checking a file allocates at most CACHED_BLOCKS blocks.
    const reused = oldest === undefined ? undefined : this.#blocks.get(oldest);
    if (oldest !== undefined) this.#blocks.delete(oldest);
    const block = reused ?? Buffer.allocUnsafe(BLOCK);
    const size = Math.min(BLOCK, this.length - start);
    for (let filled = 0; filled < size; ) {
      const read = readSync(this.#fd, block, filled, size - filled, start + filled);
      if (read === 0) throw new Error(`the file ended at ${start + filled} bytes, before the ${this.length} written`);
      filled += read;
    }
    return block;
  }
}
