/** Writes `index.html` atomically, and keeps it current during a batch without rewriting it for every job of a fast run. */
import { randomBytes } from "node:crypto";
import { open, rm } from "node:fs/promises";
import { join } from "node:path";
import type { ManifestRecord } from "../manifest.js";
import { renameWithRetry } from "../../fs/rename.js";
import { galleryParts } from "./render.js";

export const GALLERY_NAME = "index.html";
/** At most this often, so a batch of 10,000 quick jobs does not rewrite a growing page 10,000 times. */
const MIN_INTERVAL_MS = 500;
/** And a large page waits this many times as long as its last write took, so it costs a few percent of the run. */
const WRITE_TIME_FACTOR = 20;
const WRITE_CHUNK = 65_536;

export function galleryPath(dir: string): string {
  return join(dir, GALLERY_NAME);
}

/** Renders the page into a temp file beside it, then renames it over the old one: a reader never sees half a page. */
export async function writeGallery(dir: string, records: Iterable<ManifestRecord>): Promise<string> {
  const target = galleryPath(dir);
  // The images' temp-file pattern, so a run that finds one left by a killed run removes it.
  const temp = join(dir, `.codex-imagen-${randomBytes(8).toString("hex")}.tmp`);
  try {
    const file = await open(temp, "wx");
    try {
      // Written as it is rendered, in writes of about 64 KB: a page of thousands of cards is never held whole.
      let chunk = "";
      for (const part of galleryParts({ dir, records })) {
        chunk += part;
        if (chunk.length >= WRITE_CHUNK) {
          await file.write(chunk);
          chunk = "";
        }
      }
      await file.write(chunk);
    } finally {
      await file.close();
    }
    await renameWithRetry(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
  return target;
}

/** Rewrites the page after changes, coalescing those that come quicker than MIN_INTERVAL_MS. */
export class GalleryUpdates {
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> | undefined;
  #dirty = false;
  #lastWrite = 0;
  #lastWriteMs = 0;

  constructor(
    private readonly dir: string,
    private readonly records: () => Iterable<ManifestRecord>,
    private readonly onError: (error: unknown) => void,
  ) {}

  request(): void {
    this.#dirty = true;
    if (this.#timer !== undefined || this.#writing !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#write();
    }, Math.max(0, this.#lastWrite + Math.max(MIN_INTERVAL_MS, WRITE_TIME_FACTOR * this.#lastWriteMs) - Date.now()));
  }

  #write(): void {
    this.#dirty = false;
    const started = Date.now();
    this.#writing = writeGallery(this.dir, this.records())
      .then(() => undefined, this.onError)
      .finally(() => {
        this.#writing = undefined;
        this.#lastWrite = Date.now();
        this.#lastWriteMs = this.#lastWrite - started;
        if (this.#dirty) this.request();
      });
  }

  /** Writes the final page now; rejects when it cannot be written. */
  async flush(): Promise<string> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#writing;
    // The write that just ended may have asked for another: this one covers it.
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#dirty = false;
    return writeGallery(this.dir, this.records());
  }
}
