/** Reference images and masks copied into `inputs/`, named by their content so one upload is stored once. */
import { createHash } from "node:crypto";
import { lstat, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { IoError, UsageError } from "../../errors.js";
import { MAX_REFERENCE_BYTES } from "../../images/refs.js";
import { checkImage } from "./image-check.js";
import type { LibraryFile } from "./records.js";
import { replaceFileAtomic } from "./write-atomic.js";

export async function importInput(dir: string, tempPath: string): Promise<LibraryFile> {
  const data = await readUpload(tempPath);
  const checked = checkImage(data);
  if ("problem" in checked) throw new UsageError(`That reference image ${checked.problem}; upload a PNG, JPEG, GIF or WebP file.`);
  const { sniffed } = checked;
  const sha256 = createHash("sha256").update(data).digest("hex");
  const name = `${sha256.slice(0, 16)}.${sniffed.ext}`;
  const target = join(dir, "inputs", name);
  const existing = await lstat(target).catch(() => undefined);
  // Written whole or not at all (temp + rename), so a file of this name and size holds these bytes.
  if (!(existing?.isFile() && existing.size === data.length)) {
    await replaceFileAtomic(target, data).catch((error: unknown) => {
      throw new IoError(`Could not store the reference image in ${join(dir, "inputs")} (${(error as NodeJS.ErrnoException).code ?? String(error)}); check that the folder is writable and the disk has space.`, error);
    });
  }
  return { path: `inputs/${name}`, sha256, mime: sniffed.mime, width: sniffed.width, height: sniffed.height, bytes: data.length };
}

async function readUpload(file: string): Promise<Buffer> {
  let stats;
  try {
    stats = await stat(file);
  } catch (error) {
    throw new IoError(`Cannot read the uploaded file ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, error);
  }
  if (!stats.isFile()) throw new UsageError(`The uploaded file ${file} is not a regular file.`);
  if (stats.size > MAX_REFERENCE_BYTES) throw tooLarge(stats.size);
  const data = await readFile(file);
  // It may have grown between stat and read.
  if (data.length > MAX_REFERENCE_BYTES) throw tooLarge(data.length);
  return data;
}

function tooLarge(bytes: number): UsageError {
  return new UsageError(`That reference image is ${(bytes / 1024 / 1024).toFixed(1)} MB; reference images are limited to ${MAX_REFERENCE_BYTES / 1024 / 1024} MB. Use a smaller or compressed image.`);
}
