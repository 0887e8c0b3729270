import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import test from "node:test";
import type { GenerateResult, SavedImage } from "../../src/result.js";
import { jsonAnswer, streamEvent } from "../../src/serve/answers.js";
import { base64File, FLUSH, type Piece, pullStream } from "../../src/serve/byte-stream.js";
import { generationFields } from "../../src/serve/fields.js";
import { makeTempDir } from "../support/run-cli.js";
import { savedImage } from "../support/saved-image.js";

const dir = makeTempDir("codex-imagen-answers-");

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let all = "";
  for await (const chunk of chunks) all += chunk;
  return all;
}

function file(name: string, data: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

test("base64File encodes any length in chunks, exactly like one Buffer.toString('base64')", async () => {
  const chunk = 3 * 64 * 1024;
  for (const size of [0, 1, 2, 3, 4, chunk - 1, chunk, chunk + 1, 2 * chunk + 2]) {
    const data = randomBytes(size);
    const chunks: string[] = [];
    for await (const part of base64File(file(`b${size}`, data), size)) chunks.push(part);
    assert.equal(chunks.join(""), data.toString("base64"), `size ${size}`);
    assert.ok(chunks.every((part) => part.length <= (chunk / 3) * 4), "a chunk is never the whole of a large file");
  }
  await assert.rejects(text(base64File(file("short", randomBytes(10)), 20)), /ended 10 bytes early/);
});

const image = (path: string, extra: Partial<SavedImage> = {}): SavedImage => savedImage({ path, bytes: statSync(path).size, ...extra });

test("the JSON answer is OpenAI's shape, final images only, in order; its settings describe what came back, with the warnings", async () => {
  const first = randomBytes(1000);
  const second = randomBytes(7);
  const warning = { code: "size_mismatch", message: "image 2 size: asked for 1536x1024, got 1024x1024" };
  const result = {
    images: [
      image(file("one.png", first), { revised_prompt: "a fox, revised", width: 1024, height: 1024, size: "1536x1024", quality: "medium", background: "opaque", output_format: "webp" }),
      image(file("p.png", randomBytes(3)), { partial: true }),
      image(file("two.png", second)),
    ],
    usage: { total_tokens: 5 },
    warnings: [{ ...warning, image_index: 2 }],
  } as unknown as GenerateResult;
  const parsed = JSON.parse(await text(jsonAnswer(result, generationFields({ prompt: "x", size: "1536x1024", quality: "high", output_format: "webp" }), "http://h:1"))) as Record<string, unknown>;
  assert.deepEqual(Object.keys(parsed).sort(), ["background", "created", "data", "output_format", "quality", "size", "usage", "warnings"]);
  assert.deepEqual([parsed.background, parsed.output_format, parsed.quality, parsed.size], ["opaque", "png", "medium", "1024x1024"], "the real pixels and type, the backend's quality");
  assert.deepEqual(parsed.warnings, [{ ...warning, image_index: 1 }], "image_index counts data[]");
  assert.deepEqual(parsed.data, [
    { revised_prompt: "a fox, revised", b64_json: first.toString("base64") },
    { b64_json: second.toString("base64") },
  ]);
  const links = JSON.parse(await text(jsonAnswer(result, generationFields({ prompt: "x", response_format: "url" }), "http://h:1"))) as { data: unknown[] };
  assert.deepEqual(links.data, [{ url: "http://h:1/v1/images/files/one.png", revised_prompt: "a fox, revised" }, { url: "http://h:1/v1/images/files/two.png" }]);
  const quiet = JSON.parse(await text(jsonAnswer({ ...result, warnings: [] }, generationFields({ prompt: "x" }), "http://h:1"))) as Record<string, unknown>;
  assert.equal("warnings" in quiet, false, "no warnings field when there are none");
});

test("stream events are SSE frames whose data is one JSON line; a completed event carries its image's warnings", async () => {
  const data = randomBytes(50);
  const partial = await text(streamEvent({ kind: "partial", image: image(file("f.png", data)), index: 1 }, "image_edit"));
  const match = /^event: image_edit\.partial_image\ndata: (.*)\n\n$/.exec(partial);
  assert.ok(match, partial);
  const event = JSON.parse(match[1] ?? "") as Record<string, unknown>;
  assert.equal(event.type, "image_edit.partial_image");
  assert.equal(event.partial_image_index, 1);
  assert.equal(event.b64_json, data.toString("base64"));
  assert.equal(event.background, "auto");
  const warnings = [{ code: "quality_mismatch" as const, message: "image 1 quality: asked for high, got medium", image_index: 0 }];
  const completed = await text(streamEvent({ kind: "completed", image: image(file("c.png", data), { width: 64, height: 48, quality: "medium" }), usage: { total_tokens: 3 }, warnings }, "image_generation"));
  const done = JSON.parse(/^event: image_generation\.completed\ndata: (.*)\n\n$/.exec(completed)?.[1] ?? "") as Record<string, unknown>;
  assert.deepEqual([done.size, done.quality, done.output_format, done.usage, done.warnings], ["64x48", "medium", "png", { total_tokens: 3 }, warnings]);
  const error = await text(streamEvent({ kind: "error", error: { status: 429, message: "limit", type: "requests", param: null, code: "rate_limit_exceeded" } }, "image_generation"));
  assert.equal(error, 'event: error\ndata: {"type":"error","error":{"message":"limit","type":"requests","param":null,"code":"rate_limit_exceeded"}}\n\n');
});

test("pullStream produces nothing before it is read, gathers small pieces, sends at FLUSH, and ends its source when cancelled", async () => {
  let produced = 0;
  let ended = false;
  async function* source(): AsyncGenerator<Piece> {
    try {
      yield "a";
      yield "b";
      yield FLUSH;
      for (;;) {
        produced += 1;
        yield "x";
      }
    } finally {
      ended = true;
    }
  }
  const stream = pullStream(source());
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(produced, 0);
  const reader = stream.getReader();
  assert.equal(Buffer.from((await reader.read()).value ?? []).toString(), "ab");
  assert.equal((await reader.read()).value?.length, 64 * 1024, "small pieces are gathered into one write");
  await reader.cancel();
  assert.ok(ended);
});
