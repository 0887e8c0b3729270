/** The page's logic that needs no browser: the live option checks (the CLI's rules), the form's mapping, and the SSE reader. */
import assert from "node:assert/strict";
import test from "node:test";
import { checkStudioOptions } from "../../src/studio/options.js";
import { checkForm, fieldsOf } from "../../src/studio/web/form.js";
import { readSse } from "../../src/studio/web/sse.js";
import { DEFAULT_FIELDS } from "../../src/studio/web/state.js";
import { UsageError } from "../../src/errors.js";

test("options are checked by the CLI's rules and the error names the studio's field", () => {
  assert.deepEqual(checkStudioOptions({ size: "1536x1024", quality: "high", count: "3", format: "webp", compression: "80" }, "responses").options, {
    size: "1536x1024",
    quality: "high",
    count: 3,
    format: "webp",
    compression: 80,
  });
  const refused = (text: Parameters<typeof checkStudioOptions>[0], option: string, message: RegExp) => {
    assert.throws(() => checkStudioOptions(text, "responses"), (error: unknown) => error instanceof UsageError && error.option === option && message.test(error.message));
  };
  refused({ size: "1000x1000" }, "size", /multiples of 16/);
  refused({ size: "1024x1024", aspect_ratio: "16:9" }, "size", /either size or aspect_ratio/);
  refused({ count: "11" }, "count", /count/);
  refused({ compression: "50" }, "compression", /only to format jpeg or webp/);
  assert.throws(() => checkStudioOptions({ format: "jpeg" }, "mock"), /mock backend/);
  assert.match(checkStudioOptions({ size: "512x512" }, "responses").checked.warnings.join(), /outside the published gpt-image-2 range/);
});

test("the form's fields map to options; an aspect ratio is sent as a ratio, a custom size as WxH", () => {
  assert.deepEqual(checkForm({ ...DEFAULT_FIELDS, sizeChoice: "ratio", aspectRatio: "16:9" }, "responses", false).options, { aspect_ratio: "16:9", count: 1, partial_images: 2 });
  assert.deepEqual(checkForm({ ...DEFAULT_FIELDS, sizeChoice: "custom", customSize: "1792X1024" }, "responses", false).options, { size: "1792x1024", count: 1, partial_images: 2 });
  const bad = checkForm({ ...DEFAULT_FIELDS, sizeChoice: "custom", customSize: "big" }, "responses", false);
  assert.deepEqual(bad.error?.param, "size");
  assert.equal(checkForm({ ...DEFAULT_FIELDS, inputFidelity: "high" }, "responses", false).options.input_fidelity, undefined, "input fidelity is for edits only");
  assert.equal(checkForm({ ...DEFAULT_FIELDS, inputFidelity: "high" }, "responses", true).options.input_fidelity, "high");
  const reused = fieldsOf({ size: "1792x1024", quality: "low", count: 2 });
  assert.equal(reused.sizeChoice, "custom");
  assert.equal(reused.customSize, "1792x1024");
  assert.deepEqual(checkForm(reused, "responses", false).options, { size: "1792x1024", quality: "low", count: 2, partial_images: 2 });
});

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

test("the SSE reader finds events in bytes split anywhere, CRLF or LF, and joins multi-line data", async () => {
  const bytes = new TextEncoder().encode('event: started\ndata: {"a":1}\n\n: ping\n\nevent: partial\r\ndata: {"b":\r\ndata: "é"}\r\n\r\n');
  for (let split = 1; split < bytes.length; split += 1) {
    const messages = [];
    for await (const message of readSse(streamOf([bytes.subarray(0, split), bytes.subarray(split, split + 3), bytes.subarray(split + 3)]))) messages.push(message);
    assert.deepEqual(messages, [
      { event: "started", data: '{"a":1}' },
      { event: "partial", data: '{"b":\n"é"}' },
    ]);
  }
});
