/**
 * An image's bytes in the pieces they were decoded into: a 4K image is never joined into one
 * Buffer (that copy would hold it twice), yet the checks can read any byte of it.
 */

/** What the image checks read: the length and a byte at any offset (a Uint8Array is one). */
export interface ByteSource {
  readonly length: number;
  at(index: number): number | undefined;
}

/** Random access over consecutive pieces; reads near the last one are cheap, as the checks mostly walk forward. */
export class Slabs implements ByteSource {
  readonly length: number;
  readonly #parts: readonly Uint8Array[];
  #part = 0;
  /** Where `#part` starts in the whole. */
  #start = 0;

  constructor(parts: readonly Uint8Array[]) {
    this.#parts = parts;
    this.length = parts.reduce((sum, part) => sum + part.length, 0);
  }

  at(index: number): number | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) return undefined;
    while (index < this.#start) {
      this.#part -= 1;
      this.#start -= (this.#parts[this.#part] as Uint8Array).length;
    }
    while (index >= this.#start + (this.#parts[this.#part] as Uint8Array).length) {
      this.#start += (this.#parts[this.#part] as Uint8Array).length;
      this.#part += 1;
    }
    return (this.#parts[this.#part] as Uint8Array)[index - this.#start];
  }
}
