/** Answer bodies produced on demand: nothing is read or encoded before the client takes the previous chunk. */
import { createReadStream } from "node:fs";

/** A pull-based web stream over `source`; cancelling it (the client left) ends the source. */
export function pullStream(source: AsyncIterable<string | Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(typeof value === "string" ? Buffer.from(value, "utf8") : value);
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

// A multiple of 3 bytes encodes to base64 without padding, so chunks can simply follow each other.
const CHUNK_BYTES = 3 * 64 * 1024;

/** A file's bytes as base64, chunk by chunk (one ~256 KB string at a time, never the whole file). */
export async function* base64File(path: string): AsyncGenerator<string> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
    const data = carry.length === 0 ? (chunk as Buffer) : Buffer.concat([carry, chunk as Buffer]);
    const whole = data.length - (data.length % 3);
    if (whole > 0) yield data.subarray(0, whole).toString("base64");
    carry = data.subarray(whole);
  }
  if (carry.length > 0) yield carry.toString("base64");
}

/** `{...head, "b64_json": "<the file as base64>"}`, as chunks. */
export async function* objectWithBase64(head: Record<string, unknown>, path: string): AsyncGenerator<string> {
  const opening = JSON.stringify(head);
  yield opening === "{}" ? '{"b64_json":"' : `${opening.slice(0, -1)},"b64_json":"`;
  yield* base64File(path);
  yield '"}';
}
