/** `codex-imagen serve` driven by the official `openai` npm SDK, as every OpenAI-speaking program would drive it. */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import OpenAI, { AuthenticationError, BadRequestError, RateLimitError, toFile } from "openai";
import { encodePng } from "../../src/images/png.js";
import { contentItems, requestBody, type RequestBody } from "../support/cli-fixture.js";
import { startHostileServer } from "../support/hostile-server.js";
import { tinyJpeg, tinyPng } from "../support/images.js";
import { makeTempDir } from "../support/run-cli.js";
import { assertNoCredentials, openaiClient, setupServe, type ServeFixture } from "../support/serve-fixture.js";

const API_KEY = "sk-local-test-key";

/** A 16x16 RGBA PNG, transparent on its left half: an edit mask. */
function maskPng(): Buffer {
  const pixels = new Uint8Array(16 * 16 * 4);
  for (let i = 0; i < 16 * 16; i += 1) pixels.set([0, 0, 0, i % 16 < 8 ? 0 : 255], i * 4);
  return encodePng(16, 16, pixels);
}

const decoded = (b64: string | undefined): Buffer => Buffer.from(b64 ?? "", "base64");

describe("codex-imagen serve with the official openai SDK", () => {
  let f: ServeFixture;
  let client: OpenAI;
  let keepDir: string;

  before(async () => {
    keepDir = join(makeTempDir("codex-imagen-keep-"), "kept");
    f = await setupServe(undefined, { args: ["--api-key", API_KEY, "--keep", keepDir, "--retries", "0"] });
    client = openaiClient(f.server, API_KEY);
  });

  after(async () => {
    await f.close();
    assertNoCredentials(f.server.stderr(), f);
    assert.doesNotMatch(f.server.stderr(), /a lighthouse at dusk/, "a prompt reached the log without --verbose");
  });

  test("images.generate (n=1) answers the fake backend's image, with OpenAI's fields", async () => {
    const sent = f.backend.generations.length;
    const answer = await client.images.generate({ model: "gpt-image-2", prompt: "a lighthouse at dusk", size: "1536x1024", quality: "hd", background: "opaque" });
    assert.equal(answer.data?.length, 1);
    assert.ok(decoded(answer.data?.[0]?.b64_json).equals(f.backend.defaultImage), "the image bytes differ from what the backend sent");
    assert.equal(typeof answer.created, "number");
    assert.equal(answer.output_format, "png");
    assert.equal(answer.data?.[0]?.revised_prompt, "A small placeholder picture.");
    assert.equal(answer.usage?.total_tokens, 1393);
    assert.equal(f.backend.generations.length, sent + 1);
    const tool = requestBody(f.backend, sent).tools[0];
    assert.equal(tool?.size, "1536x1024");
    assert.equal(tool?.quality, "high", "quality hd means high");
    assert.equal(tool?.model, "gpt-image-2");
  });

  test("images.generate (n=3) sends three upstream requests and answers three images", async () => {
    const sent = f.backend.generations.length;
    const answer = await client.images.generate({ prompt: "three foxes", n: 3 });
    assert.equal(answer.data?.length, 3);
    for (const image of answer.data ?? []) assert.ok(decoded(image.b64_json).equals(f.backend.defaultImage));
    assert.equal(f.backend.generations.length, sent + 3);
  });

  test("images.generate({stream: true, partial_images: 2}) streams two partial frames, then the image", async () => {
    f.backend.enqueue({ kind: "images", images: [{ partials: 2 }] });
    const stream = await client.images.generate({ prompt: "a slow sunrise", stream: true, partial_images: 2 });
    const events: OpenAI.Images.ImageGenStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    assert.deepEqual(
      events.map((event) => (event.type === "image_generation.partial_image" ? `partial ${event.partial_image_index}` : event.type)),
      ["partial 0", "partial 1", "image_generation.completed"],
    );
    for (const event of events.slice(0, 2)) assert.ok(decoded(event.b64_json).equals(f.backend.partialImage), "partial frame bytes differ");
    const completed = events[2];
    assert.ok(completed?.type === "image_generation.completed");
    assert.ok(decoded(completed.b64_json).equals(f.backend.defaultImage));
    assert.equal(completed.usage.total_tokens, 1393);
    assert.equal(completed.output_format, "png");
    assert.equal(requestBody(f.backend, f.backend.generations.length - 1).tools[0]?.partial_images, 2);
    assert.deepEqual(readdirSync(keepDir).filter((name) => name.includes("partial")), [], "partial frames are not kept");
  });

  test("the answer's size, quality and output_format say what came back, with warnings beside them; the log names each one", async () => {
    f.backend.enqueue({ kind: "images", images: [{ width: 96, height: 64, quality: "medium" }] });
    const answer = await client.images.generate({ prompt: "a wide banner", size: "1536x1024", quality: "high", output_format: "webp" });
    assert.deepEqual([answer.size, answer.quality, answer.output_format], ["96x64", "medium", "png"]);
    const { warnings } = answer as typeof answer & { warnings?: Array<{ code: string; message: string; image_index: number }> };
    assert.deepEqual(warnings, [
      { code: "size_mismatch", message: "image 1 size: asked for 1536x1024, got 96x64", image_index: 0 },
      { code: "quality_mismatch", message: "image 1 quality: asked for high, got medium", image_index: 0 },
      { code: "format_mismatch", message: "image 1 format: asked for webp, got png", image_index: 0 },
    ]);
    await f.server.waitForLog(/^warning \S+: image 1 size: asked for 1536x1024, got 96x64$/);
    const plain = await client.images.generate({ prompt: "anything goes" });
    assert.equal("warnings" in plain, false, "no warnings field when nothing differs");
  });

  test("stream: the completed event says what came back and carries the image's warnings", async () => {
    f.backend.enqueue({ kind: "images", images: [{ width: 96, height: 64 }] });
    const stream = await client.images.generate({ prompt: "a wide banner, streamed", size: "1536x1024", stream: true });
    const events: OpenAI.Images.ImageGenStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const completed = events.at(-1);
    assert.ok(completed?.type === "image_generation.completed");
    assert.equal(completed.size, "96x64");
    assert.deepEqual((completed as typeof completed & { warnings?: unknown }).warnings, [
      { code: "size_mismatch", message: "image 1 size: asked for 1536x1024, got 96x64", image_index: 0 },
    ]);
  });

  test("images.edit sends two uploaded images as Image 1 and 2 and the mask, in order", async () => {
    const first = tinyPng("first");
    const second = tinyJpeg();
    const mask = maskPng();
    const answer = await client.images.edit({
      prompt: "put Image 2 into Image 1",
      image: [await toFile(first, "first.png", { type: "image/png" }), await toFile(second, "second.jpg", { type: "image/jpeg" })],
      mask: await toFile(mask, "mask.png", { type: "image/png" }),
      input_fidelity: "high",
    });
    assert.ok(decoded(answer.data?.[0]?.b64_json).equals(f.backend.defaultImage));
    const body: RequestBody = requestBody(f.backend, f.backend.generations.length - 1);
    const images = contentItems(body).filter((item) => item.type === "input_image");
    assert.deepEqual(
      images.map((item) => item.image_url),
      [`data:image/png;base64,${first.toString("base64")}`, `data:image/jpeg;base64,${second.toString("base64")}`],
    );
    assert.deepEqual(body.tools[0]?.input_image_mask, { image_url: `data:image/png;base64,${mask.toString("base64")}` });
    assert.equal(body.tools[0]?.input_fidelity, "high");
  });

  test("a JSON edit takes images as {image_url} data URLs", async () => {
    const reference = tinyPng("json edit");
    const response = await fetch(`${f.server.url}/images/edits`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ prompt: "sketch Image 1", images: [{ image_url: `data:image/png;base64,${reference.toString("base64")}` }] }),
    });
    assert.equal(response.status, 200);
    const answer = (await response.json()) as OpenAI.ImagesResponse;
    assert.ok(decoded(answer.data?.[0]?.b64_json).equals(f.backend.defaultImage));
    const images = contentItems(requestBody(f.backend, f.backend.generations.length - 1)).filter((item) => item.type === "input_image");
    assert.deepEqual(images.map((item) => item.image_url), [`data:image/png;base64,${reference.toString("base64")}`]);
  });

  test("a JSON edit takes mask as {image_url}: a data: URL or an http(s) URL the server downloads", async () => {
    const reference = tinyPng("masked edit");
    const mask = maskPng();
    const site = await startHostileServer({ png: mask });
    try {
      const edit = (maskUrl: string) =>
        fetch(`${f.server.url}/images/edits`, {
          method: "POST",
          headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
          body: JSON.stringify({ prompt: "change the left half", images: [{ image_url: `data:image/png;base64,${reference.toString("base64")}` }], mask: { image_url: maskUrl } }),
        });
      for (const maskUrl of [`data:image/png;base64,${mask.toString("base64")}`, `${site.url}/ref.png`]) {
        const response = await edit(maskUrl);
        assert.equal(response.status, 200, await response.clone().text());
        assert.ok(decoded(((await response.json()) as OpenAI.ImagesResponse).data?.[0]?.b64_json).equals(f.backend.defaultImage));
        const body = requestBody(f.backend, f.backend.generations.length - 1);
        assert.deepEqual(body.tools[0]?.input_image_mask, { image_url: `data:image/png;base64,${mask.toString("base64")}` }, maskUrl.slice(0, 30));
      }
      assert.deepEqual(site.hits, ["/ref.png"]);
      const sent = f.backend.generations.length;
      const missing = await edit(`${site.url}/missing.png`);
      const error = ((await missing.json()) as { error: { param: string; message: string } }).error;
      assert.equal(missing.status, 400);
      assert.equal(error.param, "mask.image_url");
      assert.match(error.message, /missing\.png answered HTTP 404; check the URL, or send the mask as a data: URL or upload it as a multipart file\./);
      const page = await edit(`${site.url}/page.png`);
      assert.equal(page.status, 400);
      assert.match(((await page.json()) as { error: { message: string } }).error.message, /not a PNG, JPEG, GIF or WebP image/);
      assert.equal(f.backend.generations.length, sent, "a bad mask sends nothing upstream");
    } finally {
      await site.close();
    }
  });

  test("response_format url links to the kept file, served by exact name", async () => {
    const answer = await client.images.generate({ prompt: "keep this one", response_format: "url" });
    const url = answer.data?.[0]?.url;
    assert.ok(url?.startsWith(`${f.server.url}/images/files/codex-imagen-`), url);
    const file = await fetch(url ?? "", { headers: { authorization: `Bearer ${API_KEY}` } });
    assert.equal(file.status, 200);
    assert.equal(file.headers.get("content-type"), "image/png");
    assert.ok(Buffer.from(await file.arrayBuffer()).equals(f.backend.defaultImage));
  });

  test("an upstream usage limit is the SDK's RateLimitError, with retry-after and the reset time", async () => {
    f.backend.enqueue({ kind: "http-error", status: 429, body: { error: { type: "usage_limit_reached", message: "The usage limit has been reached", resets_in_seconds: 120 } } });
    const error = await client.images.generate({ prompt: "over the limit" }).then(
      () => assert.fail("expected a RateLimitError"),
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof RateLimitError, String(error));
    assert.equal(error.code, "rate_limit_exceeded");
    const retryAfter = Number(error.headers.get("retry-after"));
    assert.ok(retryAfter > 100 && retryAfter <= 120, `retry-after ${retryAfter}`);
    assert.match(error.message, /resets/);
    assert.match(error.headers.get("x-request-id") ?? "", /^req_/);
  });

  test("a bad size is the SDK's BadRequestError naming param size; nothing is sent upstream", async () => {
    const sent = f.backend.generations.length;
    const error = await client.images.generate({ prompt: "tiny", size: "100x100" as "1024x1024" }).then(
      () => assert.fail("expected a BadRequestError"),
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof BadRequestError, String(error));
    assert.equal(error.param, "size");
    assert.equal(error.type, "invalid_request_error");
    assert.match(error.message, /multiples of 16/);
    assert.equal(f.backend.generations.length, sent);
  });

  test("a wrong local API key is the SDK's AuthenticationError; nothing is sent upstream", async () => {
    const sent = f.backend.requests.length;
    const error = await openaiClient(f.server, "sk-wrong").images.generate({ prompt: "no key" }).then(
      () => assert.fail("expected an AuthenticationError"),
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof AuthenticationError, String(error));
    assert.equal(error.code, "invalid_api_key");
    assert.ok(!error.message.includes("sk-wrong"), "the given key was echoed");
    assert.equal(f.backend.requests.length, sent);
  });

  test("GET / and GET /v1 point at the API's routes and docs instead of a bare 404", async () => {
    for (const path of ["/", "/v1", "/v1/"]) {
      const answer = await fetch(`${f.server.origin}${path}`, { headers: { authorization: `Bearer ${API_KEY}` } });
      assert.equal(answer.status, 200, path);
      const index = (await answer.json()) as { base_url: string; routes: Record<string, string>; docs: string };
      assert.equal(index.base_url, f.server.url, path);
      assert.deepEqual(Object.keys(index.routes), ["POST /v1/images/generations", "POST /v1/images/edits", "GET /v1/models", "GET /health"], path);
      assert.match(index.docs, /codex-imagen serve --help/, path);
    }
    assert.equal((await fetch(`${f.server.origin}/`)).status, 401, "behind the API key like every route");
    assert.equal((await fetch(`${f.server.origin}/v2`, { headers: { authorization: `Bearer ${API_KEY}` } })).status, 404);
  });

  test("GET /v1/models lists gpt-image-2 first; /health says ok", async () => {
    const models = await client.models.list();
    assert.equal(models.data[0]?.id, "gpt-image-2");
    const health = await fetch(`${f.server.origin}/health`, { headers: { authorization: `Bearer ${API_KEY}` } });
    assert.deepEqual(await health.json(), { status: "ok" });
  });
});
