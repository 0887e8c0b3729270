/** Large PNGs that do not compress, so streaming and writing them takes real bytes and time. */
import { encodePng } from "../../src/images/png.js";

/** A `side`x`side` RGB PNG of deterministic noise (about 3·side² bytes). */
export function noisyPng(side: number, seed = 1): Buffer {
  const pixels = new Uint8Array(side * side * 3);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < pixels.length; i++) {
    // xorshift32: cheap, deterministic, incompressible enough for deflate.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    pixels[i] = state & 0xff;
  }
  return encodePng(side, side, pixels);
}
