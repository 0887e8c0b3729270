import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";
import { assemblePng, assertSize, type ColourType, scanlines } from "./png-container.js";

/** Encodes 8-bit RGB or RGBA pixels (row-major, chosen by `pixels.length`) as a PNG. */
export function encodePng(width: number, height: number, pixels: Uint8Array): Buffer {
  const { colourType, data } = scanlines(width, height, pixels);
  return pngFromScanlines(width, height, colourType, data);
}

/**
 * A deterministic placeholder picture for the offline mock backend: a diagonal two-colour
 * gradient with a band and a few discs, all derived from the prompt's hash.
 */
export function renderPlaceholder(prompt: string, width: number, height: number): Buffer {
  assertSize(width, height);
  const hash = createHash("sha256").update(prompt, "utf8").digest();
  const byte = (i: number) => hash[i % hash.length] ?? 0;
  const colour = (i: number): Rgb => [byte(i), byte(i + 1), byte(i + 2)];
  const stride = width * 3 + 1;
  const scanlines = Buffer.alloc(height * stride);

  // Each row of a diagonal gradient is the previous row shifted by one pixel: copy from one strip.
  const stripLength = width + height - 1;
  const strip = Buffer.alloc(stripLength * 3);
  const [from, to] = [colour(0), colour(3)];
  for (let i = 0; i < stripLength; i++) {
    const t = stripLength === 1 ? 0 : i / (stripLength - 1);
    strip[i * 3] = mix(from[0], to[0], t);
    strip[i * 3 + 1] = mix(from[1], to[1], t);
    strip[i * 3 + 2] = mix(from[2], to[2], t);
  }
  const mirrored = (byte(6) & 1) === 1;
  for (let y = 0; y < height; y++) {
    const start = mirrored ? height - 1 - y : y;
    strip.copy(scanlines, y * stride + 1, start * 3, (start + width) * 3);
  }

  const bandTop = Math.floor((byte(7) / 255) * height * 0.8);
  const bandHeight = Math.max(1, Math.floor(height * (0.04 + (byte(8) / 255) * 0.08)));
  const bandColour = Buffer.from(colour(9));
  for (let y = bandTop; y < Math.min(height, bandTop + bandHeight); y++) {
    scanlines.fill(bandColour, y * stride + 1, (y + 1) * stride);
  }

  const shortSide = Math.min(width, height);
  for (let disc = 0; disc < 3; disc++) {
    const base = 12 + disc * 6;
    const cx = Math.floor((byte(base) / 255) * width);
    const cy = Math.floor((byte(base + 1) / 255) * height);
    const radius = Math.max(1, Math.floor(shortSide * (0.05 + (byte(base + 2) / 255) * 0.2)));
    const fill = Buffer.from(colour(base + 3));
    for (let y = Math.max(0, cy - radius); y <= Math.min(height - 1, cy + radius); y++) {
      const half = Math.floor(Math.sqrt(radius * radius - (y - cy) * (y - cy)));
      const left = Math.max(0, cx - half);
      const right = Math.min(width - 1, cx + half);
      if (left <= right) scanlines.fill(fill, y * stride + 1 + left * 3, y * stride + 1 + (right + 1) * 3);
    }
  }
  return pngFromScanlines(width, height, 2, scanlines);
}

type Rgb = [number, number, number];

function mix(from: number, to: number, t: number): number {
  return Math.round(from + (to - from) * t);
}

/** `scanlines` already holds a filter byte (0 = none) before every row. */
function pngFromScanlines(width: number, height: number, colourType: ColourType, scanlines: Uint8Array): Buffer {
  const file = assemblePng(width, height, colourType, deflateSync(scanlines));
  return Buffer.from(file.buffer, file.byteOffset, file.byteLength);
}
