import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { CodexImagenError, generateImages, type GenerateImagesOptions, type ProgressEvent, type ResultWarning, UsageError } from "../../src/index.js";
import { generateResultSchema } from "../../src/library/result-schema.js";
import { ACCOUNT_ID, listDir, pngSize, sha256 } from "../support/cli-fixture.js";
import { startFakeBackend, type FakeBackend } from "../support/fake-backend.js";
import { makeTempDir, makeTempHome } from "../support/run-cli.js";
import { makeJwt, writeCodexAuth } from "../support/tokens.js";

/** Options that never look at the real environment or home. */
function isolated(): Pick<GenerateImagesOptions, "env" | "homeDir" | "outputDir"> {
  const home = makeTempDir("codex-imagen-lib-");
  return { env: {}, homeDir: home, outputDir: join(home, "out") };
}

async function withLogin(t: { after: (fn: () => Promise<void>) => void }): Promise<{ backend: FakeBackend; options: Omit<GenerateImagesOptions, "prompt"> }> {
  const backend = await startFakeBackend({ oauth: { accountId: ACCOUNT_ID } });
  t.after(() => backend.close());
  const home = makeTempHome();
  const authFile = writeCodexAuth(home.codexHome, { access: makeJwt({ expSeconds: 3600, accountId: ACCOUNT_ID }), refresh: "rt_library_test_token", accountId: ACCOUNT_ID });
  return {
    backend,
    options: { env: {}, homeDir: home.home, outputDir: join(home.home, "out"), authFile, baseUrl: backend.baseUrl, refreshUrl: backend.refreshUrl, retries: 0 },
  };
}

async function rejection(promise: Promise<unknown>): Promise<CodexImagenError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof CodexImagenError, `expected a CodexImagenError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected the call to reject");
}

describe("generateImages()", { concurrency: 4 }, () => {
  test("mock backend: saves the images and resolves to the --json result; onEvent sees them", async () => {
    const events: ProgressEvent[] = [];
    const options = isolated();
    const result = await generateImages({ ...options, prompt: "a red fox", backend: "mock", size: "256x128", count: 2 }, { onEvent: (event) => events.push(event) });
    generateResultSchema.parse(result);
    assert.equal(result.backend, "mock");
    assert.equal(result.image_count, 2);
    assert.equal(result.images.length, 2);
    for (const image of result.images) {
      const bytes = readFileSync(image.path);
      assert.equal(image.sha256, sha256(bytes));
      assert.deepEqual(pngSize(bytes), { width: 256, height: 128 });
    }
    assert.equal(listDir(options.outputDir ?? "").length, 2);
    assert.ok(events.some((event) => event.type === "start"));
    // 256x128 is below the published pixel range: the CLI's warning arrives as an event.
    assert.ok(events.some((event) => event.type === "warning" && /pixels/.test(event.message)));
    assert.deepEqual(
      events.filter((event) => event.type === "image").map((event) => event.image.path),
      result.images.map((image) => image.path),
    );
  });

  test("fake backend: uses the login, sends the options, reports partial frames", async (t) => {
    const { backend, options } = await withLogin(t);
    backend.enqueue({ kind: "images", images: [{ partials: 2, revisedPrompt: "a fox, revised" }] });
    const events: ProgressEvent[] = [];
    const result = await generateImages({ ...options, prompt: "a fox", quality: "high", partialImages: 2 }, { onEvent: (event) => events.push(event) });
    generateResultSchema.parse(result);
    assert.equal(result.backend, "responses");
    assert.equal(result.images[0]?.revised_prompt, "a fox, revised");
    assert.deepEqual(readFileSync(result.images[0]?.path ?? ""), backend.defaultImage);
    assert.equal(events.filter((event) => event.type === "partial").length, 2);
    const tool = (backend.generations[0]?.body as { tools: Array<Record<string, unknown>> }).tools[0];
    assert.equal(tool?.quality, "high");
    assert.equal(tool?.partial_images, 2);
  });

  test("the result says what was asked and how the image differs; each mismatch is also a warning event", async (t) => {
    const { backend, options } = await withLogin(t);
    backend.enqueue({ kind: "images", images: [{ width: 96, height: 64, quality: "low", outputFormat: "webp" }] });
    const events: ProgressEvent[] = [];
    const result = await generateImages({ ...options, prompt: "a banner", aspectRatio: "3:2", quality: "high", format: "png", imageModel: "gpt-image-2" }, { onEvent: (event) => events.push(event) });
    generateResultSchema.parse(result);
    assert.deepEqual(result.requested, { size: "1536x1024", quality: "high", background: null, output_format: "png", image_model: "gpt-image-2", count: 1 });
    const expected: ResultWarning[] = [
      { code: "size_mismatch", message: "image 1 size: asked for 1536x1024, got 96x64", image_index: 0 },
      { code: "quality_mismatch", message: "image 1 quality: asked for high, got low", image_index: 0 },
      { code: "format_mismatch", message: "image 1 format: asked for png, the backend declared webp (the file is png)", image_index: 0 },
    ];
    assert.deepEqual(result.warnings, expected);
    const warned = events.flatMap((event) => (event.type === "warning" ? [event.message] : []));
    for (const warning of expected) assert.ok(warned.includes(warning.message), warning.message);
  });

  test("an AbortSignal stops a run that is waiting for the backend", async (t) => {
    const { backend, options } = await withLogin(t);
    backend.enqueue({ kind: "stall" });
    const controller = new AbortController();
    const run = generateImages({ ...options, prompt: "slow" }, { signal: controller.signal, onEvent: (event) => event.type === "response" && controller.abort() });
    const error = await rejection(run);
    assert.match(error.message, /Aborted by the caller's AbortSignal/);
    assert.equal(error.result?.image_count, 0);
    assert.deepEqual(listDir(options.outputDir ?? ""), []);
  });

  test("an AbortSignal.timeout rejects with code timeout", async (t) => {
    const { backend, options } = await withLogin(t);
    backend.enqueue({ kind: "stall" });
    const error = await rejection(generateImages({ ...options, prompt: "slow" }, { signal: AbortSignal.timeout(300) }));
    assert.equal(error.code, "timeout");
  });

  test("a failure after an image was saved rejects with error.result listing it", async (t) => {
    const { backend, options } = await withLogin(t);
    backend.enqueue({ kind: "images", images: [{}, { b64: "not an image" }] });
    const error = await rejection(generateImages({ ...options, prompt: "x" }));
    assert.equal(error.code, "invalid_image");
    assert.equal(error.result?.images.length, 1);
    assert.deepEqual(readFileSync(error.result?.images[0]?.path ?? ""), backend.defaultImage);
  });

  test("errors are typed with a stable code", async () => {
    const bad = await rejection(generateImages({ ...isolated(), prompt: "x", backend: "mock", count: 11 }));
    assert.ok(bad instanceof UsageError);
    assert.equal(bad.code, "usage");
    assert.match(bad.message, /^count must be a whole number from 1 to 10/);
    const named = await rejection(generateImages({ ...isolated(), prompt: "x", backend: "mock", compression: 50, aspectRatio: "9:1" }));
    assert.match(named.message, /aspectRatio|compression applies only to format/, "errors name the library's options");
    assert.doesNotMatch(named.message, /--/, "not the CLI's flags");
    const images = await rejection(generateImages({ ...isolated(), prompt: "x", backend: "images", savePartials: true, stream: false }));
    assert.equal(images.message, "savePartials needs streaming; drop stream: false.");
    const typo = await rejection(generateImages({ ...isolated(), prompt: "x", outDir: "x" } as GenerateImagesOptions));
    assert.match(typo.message, /outDir/);
    assert.equal((await rejection(generateImages({ ...isolated(), prompt: "  " }))).code, "usage");
    assert.equal((await rejection(generateImages({ ...isolated(), prompt: "x", mask: "m.png" }))).code, "usage");
    const noLogin = await rejection(generateImages({ ...isolated(), prompt: "x" }));
    assert.equal(noLogin.code, "auth_missing");
    assert.match(noLogin.message, /codex login/);
  });
});
