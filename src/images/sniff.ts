import { InvalidImageError } from "../errors.js";
import type { ByteSource } from "./slabs.js";

export type ImageMime = "image/png" | "image/jpeg" | "image/gif" | "image/webp";
export type ImageExt = "png" | "jpg" | "gif" | "webp";

export interface SniffResult {
  mime: ImageMime;
  ext: ImageExt;
  width: number | null;
  height: number | null;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Human name of a sniffed type, for messages ("PNG", "JPEG", ...). */
export function typeName(mime: ImageMime): string {
  return mime.slice("image/".length).toUpperCase();
}

/** A type's format name as the image tool spells it: png, jpeg, gif, webp. */
export function formatName(mime: string): string {
  return mime.slice(mime.indexOf("/") + 1).toLowerCase();
}

/** A format or extension as written anywhere (`JPG`, `.jpeg`, ` webp`), spelled as `formatName` spells it, to compare the two. */
export function canonicalFormat(name: string): string {
  const lower = name.trim().toLowerCase().replace(/^\./, "");
  return lower === "jpg" ? "jpeg" : lower;
}

/** Identifies PNG, JPEG, GIF and WebP by their magic bytes and reads the pixel size when the header has it. */
export function sniffImage(data: ByteSource): SniffResult | null {
  if (startsWith(data, 0, PNG_SIGNATURE)) {
    const hasIhdr = data.length >= 24 && ascii(data, 12, 4) === "IHDR";
    return {
      mime: "image/png",
      ext: "png",
      width: hasIhdr ? u32be(data, 16) : null,
      height: hasIhdr ? u32be(data, 20) : null,
    };
  }
  if (data.length >= 3 && data.at(0) === 0xff && data.at(1) === 0xd8 && data.at(2) === 0xff) {
    const frame = jpegFrameSize(data);
    return { mime: "image/jpeg", ext: "jpg", width: frame?.width ?? null, height: frame?.height ?? null };
  }
  if (data.length >= 6 && (ascii(data, 0, 6) === "GIF87a" || ascii(data, 0, 6) === "GIF89a")) {
    const hasSize = data.length >= 10;
    return {
      mime: "image/gif",
      ext: "gif",
      width: hasSize ? u16le(data, 6) : null,
      height: hasSize ? u16le(data, 8) : null,
    };
  }
  if (data.length >= 12 && ascii(data, 0, 4) === "RIFF" && ascii(data, 8, 4) === "WEBP") {
    const size = webpSize(data);
    return { mime: "image/webp", ext: "webp", width: size?.width ?? null, height: size?.height ?? null };
  }
  return null;
}

/**
 * Returns the sniffed type when `data` is a complete PNG/JPEG/GIF/WebP image, else throws
 * InvalidImageError naming `label` (e.g. "image 1 (call ig_123)") and what is wrong.
 */
export function assertCompleteImage(data: ByteSource, label: string): SniffResult {
  const sniffed = sniffImage(data);
  const problem = sniffed === null ? describeUnknown(data) : incompleteness(data, sniffed.mime);
  if (sniffed === null || problem !== null) {
    throw new InvalidImageError(
      `${label} is not a complete PNG/JPEG/GIF/WebP image: ${problem}. ` +
        "The backend sent bad data and it was not saved; run the command again.",
    );
  }
  return sniffed;
}

function incompleteness(data: ByteSource, mime: ImageMime): string | null {
  switch (mime) {
    case "image/png":
      return pngProblem(data);
    case "image/jpeg":
      return jpegProblem(data);
    case "image/gif":
      return gifProblem(data);
    case "image/webp":
      return webpProblem(data);
  }
}

/** Walks the chunk list (a jump per chunk, not a scan) so a cut anywhere is caught. */
function pngProblem(data: ByteSource): string | null {
  if (data.length < 33 || ascii(data, 12, 4) !== "IHDR" || u32be(data, 8) !== 13) {
    return "PNG without a valid IHDR header";
  }
  let offset = 8;
  let sawData = false;
  while (offset + 12 <= data.length) {
    const length = u32be(data, offset);
    const type = ascii(data, offset + 4, 4);
    const end = offset + 12 + length;
    if (end > data.length) return `truncated PNG (${type} chunk runs past the end)`;
    if (type === "IDAT") sawData = true;
    if (type === "IEND") return sawData ? null : "PNG without image data (no IDAT chunk)";
    offset = end;
  }
  return "truncated PNG (no IEND chunk)";
}

const PNG_COLOUR_TYPES_WITH_ALPHA = new Set([4, 6]);

/** Whether a PNG can hold transparency: an alpha colour type, or a tRNS chunk before the image data. */
export function pngHasAlpha(data: ByteSource): boolean {
  if (!startsWith(data, 0, PNG_SIGNATURE) || data.length < 26) return false;
  if (PNG_COLOUR_TYPES_WITH_ALPHA.has(data.at(25) ?? -1)) return true;
  let offset = 8;
  while (offset + 8 <= data.length) {
    const type = ascii(data, offset + 4, 4);
    if (type === "tRNS") return true;
    if (type === "IDAT" || type === "IEND") return false;
    offset += 12 + u32be(data, offset);
  }
  return false;
}

function jpegProblem(data: ByteSource): string | null {
  let end = data.length;
  // Some encoders pad the file with zero bytes after the end marker.
  while (end > 0 && data.at(end - 1) === 0) end--;
  if (end < 4 || data.at(end - 2) !== 0xff || data.at(end - 1) !== 0xd9) return "truncated JPEG (no EOI marker at the end)";
  if (jpegFrameSize(data) === null) return "JPEG without a frame header (no SOF marker)";
  return null;
}

function gifProblem(data: ByteSource): string | null {
  let end = data.length;
  while (end > 0 && data.at(end - 1) === 0) end--;
  if (end < 14) return "truncated GIF (header only)";
  return data.at(end - 1) === 0x3b ? null : "truncated GIF (no trailer byte at the end)";
}

function webpProblem(data: ByteSource): string | null {
  const declared = u32le(data, 4) + 8;
  if (declared > data.length) return `truncated WebP (header says ${declared} bytes, got ${data.length})`;
  if (data.length < 20 || !["VP8 ", "VP8L", "VP8X"].includes(ascii(data, 12, 4))) {
    return "WebP without a VP8/VP8L/VP8X chunk";
  }
  return null;
}

function describeUnknown(data: ByteSource): string {
  if (data.length === 0) return "no data";
  const head = bytesAt(data, 0, 64);
  const text = head.every((byte) => byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte < 0x7f));
  if (text) return head[0] === 0x3c ? "it looks like HTML/XML/SVG text" : "it looks like text";
  return `unknown format (first bytes ${Buffer.from(head.slice(0, 8)).toString("hex")})`;
}

/** Finds the SOFn segment before the scan data; null when absent or the segments are broken. */
function jpegFrameSize(data: ByteSource): { width: number; height: number } | null {
  let offset = 2;
  while (offset + 4 <= data.length) {
    if (data.at(offset) !== 0xff) return null;
    const marker = data.at(offset + 1) ?? 0;
    if (marker === 0xff) {
      offset++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      offset += 2; // markers without a length field
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null;
    const length = u16be(data, offset + 2);
    if (length < 2) return null;
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (offset + 9 > data.length) return null;
      return { height: u16be(data, offset + 5), width: u16be(data, offset + 7) };
    }
    offset += 2 + length;
  }
  return null;
}

function webpSize(data: ByteSource): { width: number; height: number } | null {
  const chunk = ascii(data, 12, 4);
  if (chunk === "VP8X" && data.length >= 30) {
    return { width: u24le(data, 24) + 1, height: u24le(data, 27) + 1 };
  }
  if (chunk === "VP8L" && data.length >= 25 && data.at(20) === 0x2f) {
    const bits = u32le(data, 21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === "VP8 " && data.length >= 30 && data.at(23) === 0x9d && data.at(24) === 0x01 && data.at(25) === 0x2a) {
    return { width: u16le(data, 26) & 0x3fff, height: u16le(data, 28) & 0x3fff };
  }
  return null;
}

function startsWith(data: ByteSource, offset: number, bytes: readonly number[]): boolean {
  if (data.length < offset + bytes.length) return false;
  return bytes.every((byte, i) => data.at(offset + i) === byte);
}

function ascii(data: ByteSource, offset: number, length: number): string {
  return String.fromCharCode(...bytesAt(data, offset, length));
}

/** Up to `length` bytes from `offset`, fewer at the end of the data. */
function bytesAt(data: ByteSource, offset: number, length: number): number[] {
  const bytes: number[] = [];
  for (let i = offset; i < Math.min(data.length, offset + length); i++) bytes.push(data.at(i) ?? 0);
  return bytes;
}

function at(data: ByteSource, offset: number): number {
  return data.at(offset) ?? 0;
}

function u16be(data: ByteSource, offset: number): number {
  return (at(data, offset) << 8) | at(data, offset + 1);
}

function u16le(data: ByteSource, offset: number): number {
  return at(data, offset) | (at(data, offset + 1) << 8);
}

function u24le(data: ByteSource, offset: number): number {
  return at(data, offset) | (at(data, offset + 1) << 8) | (at(data, offset + 2) << 16);
}

function u32be(data: ByteSource, offset: number): number {
  return ((at(data, offset) << 24) >>> 0) + (at(data, offset + 1) << 16) + (at(data, offset + 2) << 8) + at(data, offset + 3);
}

function u32le(data: ByteSource, offset: number): number {
  return at(data, offset) + (at(data, offset + 1) << 8) + (at(data, offset + 2) << 16) + ((at(data, offset + 3) << 24) >>> 0);
}
