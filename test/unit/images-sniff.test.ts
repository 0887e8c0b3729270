import assert from "node:assert/strict";
import { test } from "node:test";
import { InvalidImageError } from "../../src/errors.js";
import { decodeBase64Strict } from "../../src/images/base64.js";
import { encodePng } from "../../src/images/png.js";
import { assertCompleteImage, sniffImage } from "../../src/images/sniff.js";

function png(width: number, height: number): Buffer {
  return encodePng(width, height, new Uint8Array(width * height * 3).fill(200));
}

function jpeg(width: number, height: number, end: number[] = [0xff, 0xd9]): Buffer {
  return Buffer.from([
    0xff, 0xd8,
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0, // APP0 JFIF
    0xff, 0xc2, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
    0xff, 0xda, 0x00, 0x0c, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0,
    0x12, 0x34, 0x56,
    ...end,
  ]);
}

function gif(width: number, height: number, trailer = true): Buffer {
  return Buffer.from([
    ...Buffer.from("GIF89a"), width & 0xff, width >> 8, height & 0xff, height >> 8, 0x80, 0, 0,
    0, 0, 0, 255, 255, 255,
    0x2c, 0, 0, 0, 0, width & 0xff, width >> 8, height & 0xff, height >> 8, 0,
    2, 2, 0x44, 0x01, 0,
    ...(trailer ? [0x3b] : []),
  ]);
}

function riff(chunk: string, body: number[]): Buffer {
  const padded = body.length % 2 === 1 ? [...body, 0] : body;
  const data = Buffer.alloc(20 + padded.length);
  data.write("RIFF", 0, "latin1");
  data.writeUInt32LE(12 + padded.length, 4);
  data.write("WEBP", 8, "latin1");
  data.write(chunk, 12, "latin1");
  data.writeUInt32LE(body.length, 16);
  Buffer.from(padded).copy(data, 20);
  return data;
}

function le(value: number, bytes: number): number[] {
  return Array.from({ length: bytes }, (_, i) => (value >>> (8 * i)) & 0xff);
}

const webpVp8x = (w: number, h: number) => riff("VP8X", [0x10, 0, 0, 0, ...le(w - 1, 3), ...le(h - 1, 3)]);
const webpVp8l = (w: number, h: number) => riff("VP8L", [0x2f, ...le((w - 1) | ((h - 1) << 14), 4)]);
const webpVp8 = (w: number, h: number) => riff("VP8 ", [0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, ...le(w, 2), ...le(h, 2)]);

test("sniffImage recognises each type and reads its pixel size", () => {
  assert.deepEqual(sniffImage(png(7, 3)), { mime: "image/png", ext: "png", width: 7, height: 3 });
  assert.deepEqual(sniffImage(jpeg(1536, 1024)), { mime: "image/jpeg", ext: "jpg", width: 1536, height: 1024 });
  assert.deepEqual(sniffImage(gif(300, 2)), { mime: "image/gif", ext: "gif", width: 300, height: 2 });
  assert.deepEqual(sniffImage(webpVp8x(3840, 2160)), { mime: "image/webp", ext: "webp", width: 3840, height: 2160 });
  assert.deepEqual(sniffImage(webpVp8l(1024, 1536)), { mime: "image/webp", ext: "webp", width: 1024, height: 1536 });
  assert.deepEqual(sniffImage(webpVp8(640, 480)), { mime: "image/webp", ext: "webp", width: 640, height: 480 });
});

test("sniffImage knows the type from a short head even when the size is not there yet", () => {
  assert.deepEqual(sniffImage(png(4, 4).subarray(0, 10)), { mime: "image/png", ext: "png", width: null, height: null });
  assert.deepEqual(sniffImage(jpeg(8, 8).subarray(0, 4)), { mime: "image/jpeg", ext: "jpg", width: null, height: null });
});

test("sniffImage rejects text, HTML, SVG, empty and unknown bytes", () => {
  for (const text of ["hello", "<!DOCTYPE html><html></html>", '<svg xmlns="http://www.w3.org/2000/svg"/>', "", "BM6\u0000\u0000"]) {
    assert.equal(sniffImage(Buffer.from(text)), null, text);
  }
  assert.equal(sniffImage(Buffer.from("RIFF\u0000\u0000\u0000\u0000WAVEfmt ")), null);
});

test("assertCompleteImage accepts complete images of every type", () => {
  assert.equal(assertCompleteImage(png(2, 2), "x").mime, "image/png");
  assert.equal(assertCompleteImage(jpeg(2, 2), "x").mime, "image/jpeg");
  assert.equal(assertCompleteImage(jpeg(2, 2, [0xff, 0xd9, 0, 0, 0]), "x").mime, "image/jpeg", "zero padding after EOI");
  assert.equal(assertCompleteImage(gif(2, 2), "x").mime, "image/gif");
  assert.equal(assertCompleteImage(webpVp8x(2, 2), "x").mime, "image/webp");
  assert.equal(assertCompleteImage(webpVp8l(2, 2), "x").mime, "image/webp");
});

function rejects(data: Uint8Array, reason: RegExp): void {
  assert.throws(
    () => assertCompleteImage(data, "image 1 (call ig_123)"),
    (error: unknown) => {
      assert.ok(error instanceof InvalidImageError);
      assert.equal(error.code, "invalid_image");
      assert.match(error.message, /^image 1 \(call ig_123\) is not a complete PNG\/JPEG\/GIF\/WebP image: /);
      assert.match(error.message, reason);
      return true;
    },
  );
}

test("assertCompleteImage explains truncated and foreign data", () => {
  const full = png(64, 64);
  rejects(full.subarray(0, full.length - 12), /truncated PNG \(no IEND chunk\)/);
  rejects(full.subarray(0, full.length - 14), /truncated PNG \(IDAT chunk runs past the end\)/);
  rejects(full.subarray(0, 16), /IHDR/);
  rejects(jpeg(8, 8, []), /truncated JPEG \(no EOI/);
  rejects(gif(8, 8, false), /truncated GIF/);
  const webp = webpVp8x(8, 8);
  rejects(webp.subarray(0, webp.length - 2), /truncated WebP/);
  rejects(Buffer.from("just some text"), /looks like text/);
  rejects(Buffer.from("<!DOCTYPE html><title>502</title>"), /HTML\/XML\/SVG/);
  rejects(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'), /HTML\/XML\/SVG/);
  rejects(Buffer.alloc(0), /no data/);
  rejects(Buffer.from([0, 1, 2, 3, 0xfe]), /unknown format \(first bytes 00010203fe\)/);
});

test("decodeBase64Strict decodes padded and unpadded base64", () => {
  const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 253]);
  assert.deepEqual(decodeBase64Strict(bytes.toString("base64"), "x"), bytes);
  assert.deepEqual(decodeBase64Strict(bytes.toString("base64").replace(/=+$/, ""), "x"), bytes);
  assert.deepEqual(decodeBase64Strict("+/+/", "x"), Buffer.from([0xfb, 0xff, 0xbf]));
});

test("decodeBase64Strict rejects what Node's decoder would silently skip", () => {
  const valid = png(4, 4).toString("base64");
  const cases: Array<[string, RegExp]> = [
    ["", /empty/],
    ["====", /padding in the middle/],
    [valid.slice(0, 20) + "!" + valid.slice(21), /outside the base64 alphabet/],
    [valid.slice(0, 20) + " " + valid.slice(21), /outside the base64 alphabet/],
    [valid.slice(0, 20) + "\n" + valid.slice(21), /outside the base64 alphabet/],
    ["ab=c", /padding in the middle \(at character 3\)/],
    ["ab-_", /outside the base64 alphabet/],
    ["abcde", /bad length/],
    ["abcde=", /bad length/],
    ["abc===", /bad length/],
  ];
  for (const [text, reason] of cases) {
    assert.throws(
      () => decodeBase64Strict(text, "image 2 (call c)"),
      (error: unknown) => error instanceof InvalidImageError && /^image 2 \(call c\) is not valid base64/.test(error.message) && reason.test(error.message),
      JSON.stringify(text),
    );
  }
});

test("decodeBase64Strict handles a 16 MB string in one linear pass", () => {
  const bytes = Buffer.alloc(12 * 1024 * 1024, 7);
  const started = Date.now();
  assert.equal(decodeBase64Strict(bytes.toString("base64"), "big").length, bytes.length);
  assert.ok(Date.now() - started < 5000, "generous bound: a quadratic decoder would take minutes");
});
