/** Answer bodies produced on demand: nothing is read or encoded before the client takes the previous chunk. */
import { open } from "node:fs/promises";

// Small pieces (JSON punctuation, a small image) are gathered into one write: each write is a syscall and a chunk header.
const GATHER_BYTES = 64 * 1024;

/** Yielded by a source to send what was gathered now (e.g. at the end of a server-sent event). */
export const FLUSH = Symbol("flush");

export type Piece = string | Uint8Array | typeof FLUSH;

/** A pull-based web stream over `source`, in writes of up to about GATHER_BYTES; cancelling it (the client left) ends the source. */
export function pullStream(source: AsyncIterable<Piece>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const pieces: Buffer[] = [];
        let size = 0;
        let done = false;
        // A pull must enqueue or close: one that does neither is never called again, and the stream stalls. So a FLUSH
        // with nothing gathered (it follows a piece that filled the write by itself) is skipped, not obeyed.
        while (size < GATHER_BYTES) {
          const next = await iterator.next();
          done = next.done === true;
          if (done) break;
          if (next.value === FLUSH) {
            if (size > 0) break;
            continue;
          }
          const value = next.value;
          const piece = typeof value === "string" ? Buffer.from(value, "utf8") : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
          pieces.push(piece);
          size += piece.length;
        }
        if (size > 0) controller.enqueue(pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces, size));
        if (done) controller.close();
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

// A multiple of 3 bytes encodes to base64 without padding, so chunks can simply follow each other. Its 64 KB of
// base64 is one write; pieces past 128 KB would be V8 large objects and malloc-sized blocks, which raised serve's peak RSS by ~40 MB.
const CHUNK_BYTES = 3 * 16 * 1024;

/**
 * A saved image's `bytes` as base64, chunk by chunk (one 64 KB string at a time, never the whole file), through one
 * buffer; knowing the size saves a stat and the read that finds the end.
 */
export async function* base64File(path: string, bytes: number): AsyncGenerator<string> {
  const file = await open(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(3, bytes)));
    let filled = 0;
    for (let left = bytes; left > 0 || filled > 0; ) {
      const { bytesRead } = left > 0 ? await file.read(buffer, filled, Math.min(buffer.length - filled, left), null) : { bytesRead: 0 };
      if (bytesRead === 0 && left > 0) throw new Error(`${path} ended ${left} bytes early`);
      left -= bytesRead;
      filled += bytesRead;
      const whole = left === 0 ? filled : filled - (filled % 3);
      if (whole > 0) yield buffer.toString("base64", 0, whole);
      buffer.copy(buffer, 0, whole, filled);
      filled -= whole;
    }
  } finally {
    await file.close();
  }
}

/** `{...head, "b64_json": "<the image file as base64>"}`, as chunks. */
export async function* objectWithBase64(head: Record<string, unknown>, image: { path: string; bytes: number }): AsyncGenerator<string> {
  const opening = JSON.stringify(head);
  yield opening === "{}" ? '{"b64_json":"' : `${opening.slice(0, -1)},"b64_json":"`;
  yield* base64File(image.path, image.bytes);
  yield '"}';
}
