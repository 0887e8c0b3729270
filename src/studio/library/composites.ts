/** The page's "keep unmasked pixels" composite, saved into `images/` with the CLI's naming rules. */
import { basename } from "node:path";
import { InvalidImageError, UsageError } from "../../errors.js";
import { MAX_REFERENCE_BYTES } from "../../images/refs.js";
import { ImageWriter } from "../../images/save.js";
import { checkImage } from "./image-check.js";
import { libraryIoError } from "./io-error.js";
import type { LibraryImage } from "./records.js";

/** Checks and saves the composite's bytes (atomically, never over another file); `label` names it in errors. */
export async function saveComposite(imagesDir: string, bytes: Uint8Array, label: string, onWarning: (message: string) => void): Promise<LibraryImage> {
  if (bytes.length > MAX_REFERENCE_BYTES) throw new UsageError(`${label} is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_REFERENCE_BYTES / 1024 / 1024} MB.`);
  const checked = checkImage(bytes);
  if ("problem" in checked) throw new InvalidImageError(`${label} ${checked.problem}; it was not saved. Make the composite again.`);
  let saved;
  try {
    saved = await new ImageWriter({ outDir: imagesDir, onWarning }).save({ callId: "composite", data: [Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)] });
  } catch (error) {
    throw libraryIoError(`Could not save ${label} in ${imagesDir}`, error);
  }
  const { sniffed } = checked;
  return {
    path: `images/${basename(saved.path)}`,
    sha256: saved.sha256,
    mime: sniffed.mime,
    width: sniffed.width,
    height: sniffed.height,
    bytes: saved.bytes,
    revised_prompt: null,
    quality: null,
    output_format: null,
    request_index: null,
  };
}
