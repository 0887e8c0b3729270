/**
 * The PNG file around deflated pixels: signature, IHDR, IDAT, IEND, each chunk with its CRC. No Node APIs, so
 * the studio's page shares it (its deflate is the browser's CompressionStream; the CLI's is node:zlib).
 */
import { concatBytes } from "../bytes.js";

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CRC_TABLE = buildCrcTable();

export type ColourType = 2 | 6;

/** 8-bit RGB (colour type 2) or RGBA (6) pixels, row-major, as scanlines with filter byte 0 before every row. */
export function scanlines(width: number, height: number, pixels: Uint8Array): { colourType: ColourType; data: Uint8Array<ArrayBuffer> } {
  assertSize(width, height);
  const channels = pixels.length / (width * height);
  if (channels !== 3 && channels !== 4) {
    throw new RangeError(`PNG: expected ${width * height * 3} (RGB) or ${width * height * 4} (RGBA) bytes, got ${pixels.length}`);
  }
  const stride = width * channels;
  const data = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) data.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return { colourType: channels === 4 ? 6 : 2, data };
}

/** The whole file, given the zlib-deflated scanlines. */
export function assemblePng(width: number, height: number, colourType: ColourType, deflated: Uint8Array): Uint8Array<ArrayBuffer> {
  assertSize(width, height);
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = colourType;
  return concatBytes([Uint8Array.from(SIGNATURE), chunk("IHDR", header), chunk("IDAT", deflated), chunk("IEND", new Uint8Array(0))]);
}

export function assertSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`PNG size must be positive integers, got ${width}x${height}`);
  }
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    crc = (CRC_TABLE[(crc ^ (data[i] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function buildCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}
