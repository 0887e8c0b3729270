/** Tiny image files for reference-image tests (structurally valid headers; nothing decodes the pixels). */
import { renderPlaceholder } from "../../src/images/png.js";

export function tinyPng(seed = "reference"): Buffer {
  return renderPlaceholder(seed, 16, 16);
}

/** A 1x1 GIF89a. */
export function tinyGif(): Buffer {
  return Buffer.from("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==", "base64");
}

/** A baseline JPEG skeleton: SOI, JFIF, quant table, 16x16 SOF0, scan header, a few bytes, EOI. */
export function tinyJpeg(): Buffer {
  const segment = (marker: number, payload: number[]): number[] => [0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload];
  return Buffer.from([
    0xff, 0xd8,
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]),
    ...segment(0xdb, [0x00, ...Array<number>(64).fill(1)]),
    ...segment(0xc0, [0x08, 0x00, 0x10, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00]),
    ...segment(0xda, [0x01, 0x01, 0x00, 0x00, 0x3f, 0x00]),
    0x12, 0x34, 0x56,
    0xff, 0xd9,
  ]);
}

export function dataUrl(mime: string, data: Buffer): string {
  return `data:${mime};base64,${data.toString("base64")}`;
}
