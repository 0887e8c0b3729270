/** Reference images and masks copied into `inputs/`, named by their content so one upload is stored once. */
import { createHash } from "node:crypto";
import { lstat, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "../../errors.js";
import { MAX_REFERENCE_BYTES } from "../../images/refs.js";
import { checkImage } from "./image-check.js";
import { libraryIoError } from "./io-error.js";
import type { LibraryFile } from "./records.js";
import { replaceFileAtomic } from "./write-atomic.js";

export async function importInput(dir: string, tempPath: string): Promise<LibraryFile> {
  const data = await readUpload(tempPath);
  const checked = checkImage(data);
  if ("problem" in checked) throw new UsageError(`The uploaded image ${checked.problem}; upload a PNG, JPEG, GIF or WebP file.`);
  const { sniffed } = checked;
  const sha256 = createHash("sha256").update(data).digest("hex");
  const name = `${sha256.slice(0, 16)}.${sniffed.ext}`;
  const target = join(dir, "inputs", name);
  const existing = await lstat(target).catch(() => undefined);
  // Written whole or not at all (temp + rename), so a file of this name and size holds these bytes.
  if (!(existing?.isFile() && existing.size === data.length)) {
    await replaceFileAtomic(target, data).catch((error: unknown) => {
      throw libraryIoError(`Could not store the uploaded image in ${join(dir, "inputs")}`, error);
    });
  }
  return { path: `inputs/${name}`, sha256, mime: sniffed.mime, width: sniffed.width, height: sniffed.height, bytes: data.length };
}

async function readUpload(file: string): Promise<Buffer> {
  try {
    // stat before reading: reading a FIFO would block until something writes to it.
    const stats = await stat(file);
    if (!stats.isFile()) throw new UsageError(`The uploaded file ${file} is not a regular file.`);
    if (stats.size > MAX_REFERENCE_BYTES) throw tooLarge(stats.size);
    const data = await readFile(file);
    // It may have grown between stat and read.
    if (data.length > MAX_REFERENCE_BYTES) throw tooLarge(data.length);
    return data;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw libraryIoError(`Cannot read the uploaded file ${file}`, error, "upload it again");
  }
}

function tooLarge(bytes: number): UsageError {
  return new UsageError(`The uploaded image is ${(bytes / 1024 / 1024).toFixed(1)} MB; reference images and masks are limited to ${MAX_REFERENCE_BYTES / 1024 / 1024} MB. Use a smaller or compressed image.`);
}
