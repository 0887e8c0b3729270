import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import test from "node:test";
import { parseSseData } from "../../src/backend/events.js";
import { attachImages, imageBytes, imageFingerprint, planImages, textFingerprint, type ImagePlanner } from "../../src/backend/image-scanner.js";
import { readSseMessages, type SseMessage } from "../../src/backend/sse.js";
import { InvalidImageError } from "../../src/errors.js";
import type { ImageSpool } from "../../src/images/image-item.js";
import { Base64Decoder, decodeBase64Strict, recycleSlab } from "../../src/images/base64.js";

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function messages(text: string | Buffer, size: number, planner?: ImagePlanner): Promise<SseMessage[]> {
  const out: SseMessage[] = [];
  for await (const message of readSseMessages(chunksOf(Buffer.isBuffer(text) ? text : Buffer.from(text), size), planner)) out.push(message);
  return out;
}

const sse = (...events: Array<Record<string, unknown>>): string => events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join("");
/** An image's decoded slabs as one Buffer, to compare with what was sent. */
const joinedBytes = (image: Parameters<typeof imageBytes>[0], label: string): Buffer => Buffer.concat(imageBytes(image, label) as readonly Buffer[]);
const decodeAll: ImagePlanner = (span) => (span.path.at(-1) === "result" || span.path.at(-1) === "partial_image_b64" ? "decode" : "inline");

/** Parses each message as the backend does and gives the events with their lifted images attached. */
function events(list: SseMessage[]) {
  return list.map((message) => {
    const parsed = parseSseData(message.data, message.event);
    assert.ok(parsed, `not an event: ${message.data}`);
    attachImages(parsed.event, message.images);
    return parsed.event;
  });
}

test("a multi-MB image split into chunks of any size is decoded once, exactly, and never kept as text", async () => {
  const image = randomBytes(3 * 1024 * 1024 + 1);
  const item = { id: "ig_1", type: "image_generation_call", status: "completed", result: image.toString("base64"), revised_prompt: "a \"fox\" ü" };
  const stream = sse({ type: "response.output_item.done", output_index: 0, item });
  for (const size of [1024, 65_536, 7]) {
    const [message, ...rest] = await messages(stream, size, planImages({ partials: false, saved: new Set() }));
    assert.equal(rest.length, 0);
    assert.ok(message !== undefined && message.data.length < 400, "the JSON that is parsed holds a placeholder, not the base64");
    const [event] = events([message]);
    assert.ok(event?.kind === "image");
    assert.equal(event.image.callId, "ig_1");
    assert.equal(event.image.revisedPrompt, 'a "fox" ü');
    assert.ok(joinedBytes(event.image, "image 1").equals(image), `chunk size ${size}`);
    assert.ok((imageBytes(event.image, "image 1") as readonly Buffer[]).length > 1, "a multi-MB image stays in the slabs it was decoded into, never joined into a second copy");
    assert.equal(imageFingerprint(event.image), textFingerprint(item.result));
  }
});

test("with a spool, a multi-MB image goes to it slab by slab while it streams; bad base64 discards the spool", async () => {
  const image = randomBytes(3 * 1024 * 1024 + 7);
  const item = { id: "ig_1", type: "image_generation_call", status: "completed", result: image.toString("base64") };
  const body = Buffer.from(sse({ type: "response.output_item.done", output_index: 0, item }));
  const spools: Array<ImageSpool & { slabs: Buffer[]; discarded: boolean }> = [];
  const spool = (): ImageSpool => {
    const made = { slabs: [] as Buffer[], discarded: false, write: (slab: Buffer) => made.slabs.push(slab), discard: () => (made.discarded = true) };
    spools.push(made);
    return made;
  };
  const spooled = (): number => spools.reduce((sum, made) => sum + made.slabs.reduce((bytes, slab) => bytes + slab.length, 0), 0);
  let seenMidway = 0;
  async function* watched(): AsyncGenerator<Buffer> {
    for await (const chunk of chunksOf(body, 65_536)) {
      yield chunk;
      if (seenMidway === 0 && spooled() > 0) seenMidway = spooled();
    }
  }
  const list: SseMessage[] = [];
  for await (const message of readSseMessages(watched(), planImages({ partials: false, saved: new Set(), spool }))) list.push(message);
  assert.ok(seenMidway > 0 && seenMidway < image.length, "decoded slabs reach the spool while the image still streams in");
  const [event] = events(list);
  assert.ok(event?.kind === "image");
  assert.equal(imageBytes(event.image, "image 1"), spools[0], "the image is its spool");
  assert.ok(Buffer.concat(spools[0]?.slabs ?? []).equals(image));
  assert.ok((spools[0]?.slabs.length ?? 0) > 1);

  const bad = Buffer.from(sse({ type: "response.output_item.done", item: { ...item, result: `${image.toString("base64").slice(0, 2_000_001)}!` } }));
  const [broken] = events(await (async () => {
    const out: SseMessage[] = [];
    for await (const message of readSseMessages(chunksOf(bad, 65_536), planImages({ partials: false, saved: new Set(), spool }))) out.push(message);
    return out;
  })());
  assert.ok(broken?.kind === "image");
  assert.throws(() => imageBytes(broken.image, "image 1"), InvalidImageError);
  assert.equal(spools[1]?.discarded, true);
});

test("the copy repeated in response.completed is skipped when its call id was saved, decoded when not", async () => {
  const image = randomBytes(50_000);
  const b64 = image.toString("base64");
  const completed = (id: string) => ({
    type: "response.completed",
    response: { id: "resp_1", output: [{ id, type: "image_generation_call", status: "completed", result: b64 }], usage: { total_tokens: 3 } },
  });
  const saved = new Set(["ig_saved"]);
  const list = events(await messages(sse(completed("ig_saved"), completed("ig_new")), 4096, planImages({ partials: false, saved })));
  const [skipped, fresh] = list.map((event) => (event.kind === "completed" ? event.response.images[0] : undefined));
  assert.ok(skipped && fresh);
  assert.throws(() => joinedBytes(skipped, "image 1"), /skipped/);
  assert.ok(joinedBytes(fresh, "image 1").equals(image), "an image that arrives only in response.completed is still saved");
  assert.deepEqual(list[0]?.kind === "completed" && list[0].response.usage, { total_tokens: 3 });
});

test("an id that comes after the image still works: the image is decoded", async () => {
  const image = randomBytes(3000);
  const stream = sse({ type: "response.completed", response: { output: [{ type: "image_generation_call", result: image.toString("base64"), id: "ig_saved" }] } });
  const [event] = events(await messages(stream, 100, planImages({ partials: false, saved: new Set(["ig_saved"]) })));
  assert.ok(event?.kind === "completed");
  assert.equal(event.response.images[0]?.callId, "ig_saved");
  assert.ok(joinedBytes(event.response.images[0]!, "x").equals(image));
});

test("partial frames are parsed but not decoded unless they will be saved", async () => {
  const frame = randomBytes(9000);
  const stream = sse({ type: "response.image_generation_call.partial_image", item_id: "ig_1", partial_image_index: 2, partial_image_b64: frame.toString("base64") });
  const [skipped] = events(await messages(stream, 1000, planImages({ partials: false, saved: new Set() })));
  assert.ok(skipped?.kind === "partial");
  assert.equal(skipped.index, 2);
  assert.equal(skipped.image.callId, "ig_1");
  assert.throws(() => joinedBytes(skipped.image, "partial frame 2"));
  const [kept] = events(await messages(stream, 1000, planImages({ partials: true, saved: new Set() })));
  assert.ok(kept?.kind === "partial" && joinedBytes(kept.image, "partial frame 2").equals(frame));
});

test("base64 written with JSON's \\/ escape is decoded; any other escape is invalid base64", async () => {
  const image = randomBytes(30_000);
  const escaped = JSON.stringify({ type: "response.output_item.done", item: { id: "ig_1", type: "image_generation_call", result: image.toString("base64") } }).replaceAll("/", "\\/");
  for (const size of [1, 2, 3, 4096]) {
    const [event] = events(await messages(`data: ${escaped}\n\n`, size, decodeAll));
    assert.ok(event?.kind === "image" && joinedBytes(event.image, "x").equals(image), `chunk size ${size}`);
  }
  const [bad] = events(await messages('data: {"type":"response.output_item.done","item":{"id":"a","type":"image_generation_call","result":"AA\\nA"}}\n\n', 5, decodeAll));
  assert.ok(bad?.kind === "image");
  assert.throws(() => joinedBytes(bad.image, "image 1"), InvalidImageError);
});

test("the streaming decoder agrees with decodeBase64Strict on every input, whatever the chunking", () => {
  const valid = randomBytes(40).toString("base64");
  const inputs = [valid, valid.replace(/=+$/, ""), "+/+/", "", "====", "ab=c", "ab-_", "abcde", "abcde=", "abc===", "QQ==QUJD", valid.slice(0, 20) + "!" + valid.slice(21), valid.slice(0, 20) + " " + valid.slice(21), valid + "\n", "QUJ\u00ff"];
  for (const text of inputs) {
    let expected: Buffer | string;
    try {
      expected = decodeBase64Strict(text, "image 2 (call c)");
    } catch (error) {
      expected = (error as Error).message;
    }
    for (const size of [1, 2, 3, 5, 64]) {
      const decoder = new Base64Decoder();
      const bytes = Buffer.from(text, "latin1");
      for (let offset = 0; offset < bytes.length; offset += size) decoder.write(bytes.subarray(offset, offset + size));
      let actual: Buffer | string;
      try {
        actual = Buffer.concat(decoder.end("image 2 (call c)"));
      } catch (error) {
        assert.ok(error instanceof InvalidImageError);
        actual = error.message;
      }
      assert.deepEqual(actual, expected, `${JSON.stringify(text)} in ${size}-byte pieces`);
    }
  }
});

test("full slabs given back after they are written are filled again by the next image, never a small image's only slab", () => {
  const decode = (bytes: Buffer): { out: Buffer; memory: Set<ArrayBufferLike>; slabs: Buffer[] } => {
    const slabs: Buffer[] = [];
    const decoder = new Base64Decoder((slab) => slabs.push(slab));
    const text = Buffer.from(bytes.toString("base64"));
    for (let offset = 0; offset < text.length; offset += 65_536) decoder.write(text.subarray(offset, offset + 65_536));
    decoder.end("image 1");
    // Copied before the slabs go back: from then on they belong to the next image.
    const out = Buffer.concat(slabs);
    for (const slab of slabs) recycleSlab(slab);
    return { out, memory: new Set(slabs.map((slab) => slab.buffer)), slabs };
  };
  const first = randomBytes(3 * 1024 * 1024);
  const second = randomBytes(3 * 1024 * 1024 + 5);
  const a = decode(first);
  assert.ok(a.out.equals(first));
  const b = decode(second);
  assert.ok(b.out.equals(second), "a reused slab holds the new image's bytes");
  assert.ok([...b.memory].some((memory) => a.memory.has(memory)), "the second image reused the first one's full slabs");
  const small = decode(randomBytes(20_000));
  const after = decode(randomBytes(20_000));
  assert.ok(!after.memory.has(small.slabs[0]?.buffer as ArrayBufferLike), "a small image's only slab is left to the GC");
});

test("every byte outside the base64 alphabet is rejected, wherever it sits", () => {
  const alphabet = new Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=".split("").map((c) => c.charCodeAt(0)));
  const body = Buffer.from(randomBytes(3000).toString("base64"));
  for (let byte = 0; byte < 256; byte++) {
    if (alphabet.has(byte)) continue;
    for (const at of [0, 1234, body.length - 1]) {
      const text = Buffer.from(body);
      text[at] = byte;
      const decoder = new Base64Decoder();
      decoder.write(text.subarray(0, 1000));
      decoder.write(text.subarray(1000));
      assert.throws(() => decoder.end("x"), /outside the base64 alphabet|bad length/, `byte ${byte} at ${at}`);
    }
  }
});

test("a stream cut inside a huge line delivers the complete lines before it and drops the rest", async () => {
  const image = randomBytes(100_000).toString("base64");
  const text = `data: {"type":"a"}\n\ndata: {"type":"b",\ndata: "n":1}\n` + `data: {"type":"response.output_item.done","item":{"id":"x","result":"${image.slice(0, 50_000)}`;
  const list = await messages(text, 1000, decodeAll);
  assert.deepEqual(list.map((m) => m.data), ['{"type":"a"}', '{"type":"b",\n"n":1}']);
  assert.equal(list[1]?.images, undefined);
});

test("CRLF line ends split between chunks, event lines and comments are handled like LF", async () => {
  const image = randomBytes(5000);
  const body = `: comment\r\nevent: response.output_item.done\r\ndata: ${JSON.stringify({ item: { id: "ig_9", type: "image_generation_call", result: image.toString("base64") } })}\r\n\r\ndata: [DONE]\r\n\r\n`;
  for (const size of [1, 2, 3, 17, 4096]) {
    const list = await messages(body, size, decodeAll);
    assert.equal(list.length, 2, `chunk size ${size}`);
    assert.equal(list[1]?.data, "[DONE]");
    const [event] = events([list[0]!]);
    assert.ok(event?.kind === "image" && joinedBytes(event.image, "x").equals(image), `chunk size ${size}`);
  }
});

test("pathological nesting and non-JSON data do not break the reader", async () => {
  const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
  const list = await messages(`data: ${deep}\n\ndata: not json "result":"x\n\n`, 4096, decodeAll);
  assert.deepEqual(list.map((m) => m.data.length), [deep.length, 'not json "result":"x'.length]);
});

test("a Node stream is read in flowing mode: paused while a message waits, every byte counted once", async () => {
  const image = randomBytes(200_000);
  const body = Buffer.from(sse({ type: "a" }, { type: "response.output_item.done", item: { id: "ig_1", type: "image_generation_call", result: image.toString("base64") } }, { type: "b" }));
  const pieces = Array.from({ length: Math.ceil(body.length / 1000) }, (_, i) => body.subarray(i * 1000, (i + 1) * 1000));
  const stream = Readable.from(pieces, { objectMode: false });
  let counted = 0;
  const types: string[] = [];
  for await (const message of readSseMessages(stream, decodeAll, (chunk) => (counted += chunk.length))) {
    assert.equal(stream.readableFlowing, false, "the stream waits while a message is handled");
    const [event] = events([message]);
    if (event?.kind === "image") assert.ok(joinedBytes(event.image, "x").equals(image));
    types.push(JSON.parse(message.data).type);
  }
  assert.deepEqual(types, ["a", "response.output_item.done", "b"]);
  assert.equal(counted, body.length);
});

test("a stream that fails delivers the messages completed before, then the error; stopping early releases it", async () => {
  const failing = new Readable({ read() {} });
  failing.push(Buffer.from(sse({ type: "a" }) + 'data: {"type":"cut'));
  setImmediate(() => failing.destroy(new Error("socket hang up")));
  const seen: string[] = [];
  await assert.rejects(async () => {
    for await (const message of readSseMessages(failing, decodeAll)) seen.push(message.data);
  }, /socket hang up/);
  assert.deepEqual(seen, ['{"type":"a"}']);

  const endless = new Readable({ read() {} });
  endless.push(Buffer.from(sse({ type: "a" }, { type: "b" })));
  for await (const message of readSseMessages(endless, decodeAll)) if (message.data.includes('"a"')) break;
  assert.equal(endless.destroyed, true);
});
