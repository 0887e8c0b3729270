import assert from "node:assert/strict";
import test from "node:test";
import { mismatchWarnings, requestedOptions } from "../../src/run/mismatches.js";
import { savedImage } from "../support/saved-image.js";

const asked = (tool: Parameters<typeof requestedOptions>[0]["tool"], count = 1) => requestedOptions({ tool, count });

test("requested: the tool entry's values, null where nothing was sent", () => {
  assert.deepEqual(asked({ size: "1536x1024", quality: "high", output_format: "webp", model: "gpt-image-2", moderation: "low" }, 3), {
    size: "1536x1024",
    quality: "high",
    background: null,
    output_format: "webp",
    image_model: "gpt-image-2",
    count: 3,
  });
  assert.deepEqual(asked({}), { size: null, quality: null, background: null, output_format: null, image_model: null, count: 1 });
});

test("nothing asked, auto, or exactly what was asked: no warnings", () => {
  assert.deepEqual(mismatchWarnings([savedImage()], asked({})), []);
  assert.deepEqual(mismatchWarnings([savedImage({ quality: "medium", width: 1536 })], asked({ size: "auto", quality: "auto" })), []);
  assert.deepEqual(mismatchWarnings([savedImage()], asked({ size: "1024x1024", quality: "high", output_format: "png" })), []);
  assert.deepEqual(mismatchWarnings([savedImage({ mime: "image/jpeg", output_format: "jpg" })], asked({ output_format: "jpeg" })), [], "jpg is jpeg");
});

test("another size, quality and format: one warning per image and code, naming both values, indexed in images[]", () => {
  const images = [
    savedImage({ partial: true, width: 512, height: 512, quality: "low" }),
    savedImage({ width: 1024, height: 1024, quality: "medium", mime: "image/png", output_format: "png" }),
    savedImage({ width: 1536, height: 1024, quality: "high", mime: "image/png", output_format: "webp" }),
  ];
  assert.deepEqual(mismatchWarnings(images, asked({ size: "1536x1024", quality: "high", output_format: "webp" })), [
    { code: "size_mismatch", message: "image 1 size: asked for 1536x1024, got 1024x1024", image_index: 1 },
    { code: "quality_mismatch", message: "image 1 quality: asked for high, got medium", image_index: 1 },
    { code: "format_mismatch", message: "image 1 format: asked for webp, got png", image_index: 1 },
    { code: "format_mismatch", message: "image 2 format: asked for webp, got png (declared webp)", image_index: 2 },
  ]);
});

test("a declared format other than asked warns even when the file is the asked type; unknown values never warn", () => {
  assert.deepEqual(mismatchWarnings([savedImage({ mime: "image/webp", output_format: "png" })], asked({ output_format: "webp" })), [
    { code: "format_mismatch", message: "image 1 format: asked for webp, the backend declared png (the file is webp)", image_index: 0 },
  ]);
  assert.deepEqual(mismatchWarnings([savedImage({ width: null, height: null, quality: null })], asked({ size: "1536x1024", quality: "low" })), []);
});
