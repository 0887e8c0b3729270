import assert from "node:assert/strict";
import { test } from "node:test";
import { inflateSync } from "node:zlib";
import { encodePng, renderPlaceholder } from "../../src/images/png.js";
import { assertCompleteImage } from "../../src/images/sniff.js";

/** Reads the chunks back, checking each CRC, and returns the header fields and the inflated scanlines. */
function decode(png: Buffer): { width: number; height: number; colourType: number; scanlines: Buffer } {
  const chunks = new Map<string, Buffer>();
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("latin1", offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    assert.equal(png.readUInt32BE(offset + 8 + length), crc32(png.subarray(offset + 4, offset + 8 + length)), `${type} CRC`);
    chunks.set(type, Buffer.concat([chunks.get(type) ?? Buffer.alloc(0), body]));
    offset += 12 + length;
  }
  const header = chunks.get("IHDR");
  assert.ok(header && chunks.has("IEND"));
  return { width: header.readUInt32BE(0), height: header.readUInt32BE(4), colourType: header[9] ?? -1, scanlines: inflateSync(chunks.get("IDAT") ?? Buffer.alloc(0)) };
}

function crc32(data: Uint8Array): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return ~crc >>> 0;
}

test("encodePng writes RGB and RGBA pixels that read back unchanged", () => {
  const rgba = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 9, 8, 7, 6]);
  const png = decode(encodePng(2, 2, rgba));
  assert.deepEqual([png.width, png.height, png.colourType], [2, 2, 6]);
  assert.deepEqual([...png.scanlines], [0, ...rgba.subarray(0, 8), 0, ...rgba.subarray(8)]);

  const rgb = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const small = decode(encodePng(3, 1, rgb));
  assert.deepEqual([small.width, small.height, small.colourType], [3, 1, 2]);
  assert.deepEqual([...small.scanlines], [0, ...rgb]);
});

test("encodePng refuses a pixel buffer of the wrong length", () => {
  assert.throws(() => encodePng(2, 2, new Uint8Array(5)), RangeError);
  assert.throws(() => encodePng(0, 2, new Uint8Array(0)), RangeError);
});

test("renderPlaceholder is a complete PNG of the requested size", () => {
  for (const [width, height] of [[1024, 1024], [1536, 1024], [16, 48], [1, 1]] as const) {
    const png = renderPlaceholder("a lighthouse at dusk", width, height);
    assert.deepEqual(assertCompleteImage(png, "placeholder"), { mime: "image/png", ext: "png", width, height });
    const decoded = decode(png);
    assert.equal(decoded.colourType, 2);
    assert.equal(decoded.scanlines.length, height * (width * 3 + 1));
  }
});

test("renderPlaceholder is deterministic per prompt and differs between prompts", () => {
  const a = renderPlaceholder("a red fox", 256, 256);
  assert.deepEqual(renderPlaceholder("a red fox", 256, 256), a);
  assert.notDeepEqual(renderPlaceholder("a red fox!", 256, 256), a);
  assert.notDeepEqual(renderPlaceholder("a blue whale", 256, 256), a);
});

test("renderPlaceholder draws a picture, not a flat colour", () => {
  const { scanlines } = decode(renderPlaceholder("anything", 64, 64));
  const colours = new Set<string>();
  for (let y = 0; y < 64; y++) {
    for (let x = 0; x < 64; x++) {
      const at = y * (64 * 3 + 1) + 1 + x * 3;
      colours.add(scanlines.subarray(at, at + 3).toString("hex"));
    }
  }
  assert.ok(colours.size > 20, `only ${colours.size} colours`);
});

test("renderPlaceholder renders 3840x2160 quickly enough for the mock backend", () => {
  const started = Date.now();
  const png = renderPlaceholder("big", 3840, 2160);
  assert.ok(Date.now() - started < 5000, "generous bound; typically ~150 ms");
  assert.equal(assertCompleteImage(png, "big").width, 3840);
});
