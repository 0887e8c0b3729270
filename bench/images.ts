/** Synthetic PNGs whose size in bytes is close to real generated images of the same dimensions. */
import { encodePng } from "../src/images/png.js";

/**
 * An RGB PNG of deterministic noise with `levels` values per channel: deflate gets it down to about
 * log2(levels) bits per byte, so 16 levels give the ~12 MB of a real 3840x2160 picture.
 */
export function noisyPng(width: number, height: number, levels: number, seed: number): Buffer {
  const pixels = new Uint8Array(width * height * 3);
  const words = new Uint32Array(pixels.buffer, 0, Math.floor(pixels.length / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  for (let i = 0; i < pixels.length; i++) pixels[i] = (pixels[i] ?? 0) % levels;
  return encodePng(width, height, pixels);
}
