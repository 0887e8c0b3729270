import assert from "node:assert/strict";
import test from "node:test";
import { FLUSH, type Piece, pullStream } from "../../src/serve/byte-stream.js";

async function* pieces(...items: Piece[]): AsyncGenerator<Piece> {
  yield* items;
}

async function read(stream: ReadableStream<Uint8Array>): Promise<{ text: string; writes: number }> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return { text: Buffer.concat(chunks).toString("utf8"), writes: chunks.length };
}

test("a piece larger than one write, then FLUSH, then more: nothing stalls (a server-sent event with a large preview)", async () => {
  const large = "x".repeat(200 * 1024);
  const { text } = await read(pullStream(pieces(`data: ${large}\n\n`, FLUSH, "data: next\n\n", FLUSH, FLUSH, "data: last\n\n")));
  assert.equal(text, `data: ${large}\n\ndata: next\n\ndata: last\n\n`);
});

test("small pieces are gathered into one write until a FLUSH", async () => {
  const { text, writes } = await read(pullStream(pieces("a", "b", "c", FLUSH, "d", "e")));
  assert.equal(text, "abcde");
  assert.equal(writes, 2);
});
