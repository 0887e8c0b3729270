/** An image written to a temp file beside its destination while its bytes are decoded, hashed on the way: never held whole. */
import { createHash, randomBytes } from "node:crypto";
import fs, { type FileHandle } from "node:fs/promises";
import path from "node:path";
import { recycleSlab } from "./base64.js";
import type { ImageSpool } from "./image-item.js";

/** A fresh temp file name in `dir`: `.codex-imagen-*.tmp`, which runs remove once stale. */
export function tempPath(dir: string): string {
  return path.join(dir, `.codex-imagen-${randomBytes(8).toString("hex")}.tmp`);
}

export interface SpoolContents {
  /** Open for reading until `close`. */
  file: FileHandle;
  bytes: number;
  sha256: string;
}

export class SpooledImage implements ImageSpool {
  readonly path: string;
  readonly #prepareDir: () => Promise<void>;
  readonly #hash = createHash("sha256");
  #bytes = 0;
  #file: Promise<FileHandle> | undefined;
  /** The writes so far, in order; rejects with the first failure, after which nothing more is written. */
  #written: Promise<void> = Promise.resolve();
  #discarded = false;
  #removed: Promise<void> | undefined;

  constructor(dir: string, prepareDir: () => Promise<void>) {
    this.path = tempPath(dir);
    this.#prepareDir = prepareDir;
  }

  write(slab: Buffer): void {
    if (this.#discarded) return;
    this.#hash.update(slab);
    this.#bytes += slab.length;
    const file = this.#open();
    this.#written = this.#written.then(async () => {
      await (await file).writeFile(slab);
      recycleSlab(slab);
    });
    // Failures surface in `contents`; a write nobody waits for must not be an unhandled rejection.
    this.#written.catch(() => undefined);
  }

  discard(): void {
    this.#discarded = true;
    void this.remove();
  }

  /** Waits for every write; throws the first write's failure. */
  async contents(): Promise<SpoolContents> {
    const file = this.#open();
    await this.#written;
    return { file: await file, bytes: this.#bytes, sha256: this.#hash.digest("hex") };
  }

  /** Closes the file (before it is moved into place: Windows cannot rename an open file). */
  async close(): Promise<void> {
    await this.#written.catch(() => undefined);
    const file = await this.#file?.catch(() => undefined);
    await file?.close().catch(() => undefined);
  }

  /** Closes and deletes the temp file, once every write has settled; never fails. */
  remove(): Promise<void> {
    this.#discarded = true;
    this.#removed ??= this.close().then(() => fs.rm(this.path, { force: true }).catch(() => undefined));
    return this.#removed;
  }

  #open(): Promise<FileHandle> {
    // Readable too: the saver checks the image from this file before it is published.
    this.#file ??= this.#prepareDir().then(() => fs.open(this.path, "wx+"));
    this.#file.catch(() => undefined);
    return this.#file;
  }
}
