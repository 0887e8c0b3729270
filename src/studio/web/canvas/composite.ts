/** "Keep unmasked pixels": the reference's own pixels outside the painted area, the result's inside, byte for byte. */

/** `reference` and `result` are RGBA of the same size as `coverage` (1 = painted); returns a new RGBA array. */
export function keepUnmasked(reference: Uint8Array | Uint8ClampedArray, result: Uint8Array | Uint8ClampedArray, coverage: Uint8Array): Uint8Array {
  if (reference.length !== coverage.length * 4 || result.length !== coverage.length * 4) {
    throw new RangeError("keepUnmasked: the reference, the result and the mask must have the same pixel size");
  }
  const out = Uint8Array.from(reference);
  for (let i = 0; i < coverage.length; i++) {
    if (coverage[i] === 1) out.set(result.subarray(i * 4, i * 4 + 4), i * 4);
  }
  return out;
}

/** Why a result cannot be composited over its reference, or undefined when it can. */
export function whyNotComposited(reference: { width: number; height: number }, result: { width: number; height: number }): string | undefined {
  if (reference.width === result.width && reference.height === result.height) return undefined;
  return `Unmasked pixels were not kept: the result is ${result.width}x${result.height}, the reference ${reference.width}x${reference.height} (the backend chose another size).`;
}
