/** Thumbnails the page draws, stored as `thumbs/<image name without extension>.<png|webp|jpg>`. */
import { lstat } from "node:fs/promises";
import { extname, join } from "node:path";
import { InvalidImageError, UsageError } from "../../errors.js";
import { checkImage } from "./image-check.js";
import { libraryIoError } from "./io-error.js";
import { splitAreaPath } from "./layout.js";
import { LibraryNotFoundError } from "./not-found.js";
import { moveToTrash } from "./trash.js";
import { replaceFileAtomic } from "./write-atomic.js";

const MAX_THUMB_SIDE = 256;
/** A 256x256 RGBA PNG of pure noise is ~260 KB: twice that is room enough. */
const MAX_THUMB_BYTES = 512 * 1024;
const THUMB_EXTS = ["png", "webp", "jpg"];

/** Stores `bytes` as the thumbnail of `imagePath` (`images/<name>`, an existing image); returns its library path. */
export async function saveThumb(dir: string, imagePath: string, bytes: Uint8Array): Promise<string> {
  const stem = await imageStem(dir, imagePath);
  if (stem === undefined) throw new LibraryNotFoundError(`There is no image ${imagePath} in the studio library; thumbnails are stored only for its images.`);
  if (bytes.length > MAX_THUMB_BYTES) throw new UsageError(`The thumbnail of ${imagePath} is ${Math.ceil(bytes.length / 1024)} KB; the limit is ${MAX_THUMB_BYTES / 1024} KB. Draw it at most ${MAX_THUMB_SIDE} px on its longest side.`);
  const checked = checkImage(bytes);
  if ("problem" in checked) throw new InvalidImageError(`The thumbnail of ${imagePath} ${checked.problem}; draw it again.`);
  const { ext, width, height } = checked.sniffed;
  if (!THUMB_EXTS.includes(ext)) throw new UsageError(`The thumbnail of ${imagePath} must be a PNG, WebP or JPEG image, not GIF.`);
  if (width === null || height === null || Math.max(width, height) > MAX_THUMB_SIDE) {
    throw new UsageError(`The thumbnail of ${imagePath} is ${width ?? "?"}x${height ?? "?"} px; its longest side must be at most ${MAX_THUMB_SIDE} px.`);
  }
  const thumbPath = `thumbs/${stem}.${ext}`;
  try {
    await replaceFileAtomic(join(dir, thumbPath), bytes);
  } catch (error) {
    throw libraryIoError(`Could not store the thumbnail ${thumbPath}`, error);
  }
  // One thumbnail per image: one of another type, drawn before, goes to the trash.
  for (const other of THUMB_EXTS) if (other !== ext) await moveToTrash(dir, `thumbs/${stem}.${other}`);
  return thumbPath;
}

/** The library path of the thumbnail of `imagePath`, or null when it has none. */
export async function thumbPathOf(dir: string, imagePath: string): Promise<string | null> {
  const parts = splitAreaPath(imagePath);
  if (parts?.area !== "images") return null;
  const stem = stemOf(parts.name);
  for (const ext of THUMB_EXTS) {
    const candidate = `thumbs/${stem}.${ext}`;
    if ((await lstat(join(dir, candidate)).catch(() => undefined))?.isFile()) return candidate;
  }
  return null;
}

async function imageStem(dir: string, imagePath: string): Promise<string | undefined> {
  const parts = splitAreaPath(imagePath);
  if (parts?.area !== "images") return undefined;
  const stats = await lstat(join(dir, "images", parts.name)).catch(() => undefined);
  return stats?.isFile() ? stemOf(parts.name) : undefined;
}

function stemOf(name: string): string {
  return name.slice(0, name.length - extname(name).length);
}
