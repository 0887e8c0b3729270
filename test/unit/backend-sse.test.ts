import assert from "node:assert/strict";
import test from "node:test";
import { setImmediate as nextTurn } from "node:timers/promises";
import { Readable } from "node:stream";
import { readLines, readSseMessages } from "../../src/backend/sse.js";

async function* chunksOf(text: string | Buffer, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, "utf8");
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

test("lines split across chunks of every size come out whole, LF and CRLF alike", async () => {
  const text = "data: one\r\n\r\ndata: two\n\nevent: x\ndata: ü-three\r\n\n";
  for (const size of [1, 2, 3, 7, 64]) {
    const lines = (await collect(readLines(chunksOf(text, size)))).map((line) => line.toString("utf8"));
    assert.deepEqual(lines, ["data: one", "", "data: two", "", "event: x", "data: ü-three", ""], `chunk size ${size}`);
  }
});

test("an unterminated last line is treated as cut and dropped", async () => {
  const lines = await collect(readLines(chunksOf('data: {"a":1}\n\ndata: {"trunc', 4)));
  assert.deepEqual(lines.map(String), ['data: {"a":1}', ""]);
});

test("messages carry the event name, join multi-line data and skip comments", async () => {
  const text = ": keep-alive\nevent: response.created\ndata: {\"a\":\ndata: 1}\n\ndata: [DONE]\n\n";
  const messages = await collect(readSseMessages(chunksOf(text, 5)));
  assert.deepEqual(messages, [
    { event: "response.created", data: '{"a":\n1}' },
    { event: undefined, data: "[DONE]" },
  ]);
});

test("a final event without the closing blank line is still delivered", async () => {
  const messages = await collect(readSseMessages(chunksOf('data: {"type":"response.completed"}\n', 3)));
  assert.deepEqual(messages, [{ event: undefined, data: '{"type":"response.completed"}' }]);
});

test("a multi-megabyte data line split into small chunks arrives intact", async () => {
  const payload = "A".repeat(3 * 1024 * 1024);
  const messages = await collect(readSseMessages(chunksOf(`data: ${payload}\n\n`, 1024)));
  assert.equal(messages.length, 1);
  assert.equal(messages[0]?.data.length, payload.length);
  assert.equal(messages[0]?.data, payload);
});

test("a reader that stops early releases the stream, even one that reports its destroy as an error (as undici's body does)", async () => {
  const body = new Readable({
    read() {},
    destroy(error, callback) {
      callback(error ?? Object.assign(new Error("Request aborted"), { code: "UND_ERR_ABORTED" }));
    },
  });
  body.push('data: {"type":"response.completed"}\n\n');
  for await (const message of readSseMessages(body)) {
    assert.equal(message.data, '{"type":"response.completed"}');
    break;
  }
  // Not events.once: it would listen for the very error under test.
  await new Promise((resolve) => body.once("close", resolve));
  await nextTurn();
  assert.ok(body.destroyed);
});
