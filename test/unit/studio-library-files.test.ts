import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { InvalidImageError, IoError, UsageError } from "../../src/errors.js";
import { renderPlaceholder } from "../../src/images/png.js";
import { LibraryNotFoundError, StudioLibrary } from "../../src/studio/library/index.js";
import { tinyGif, tinyJpeg } from "../support/images.js";
import { makeTempDir } from "../support/run-cli.js";
import { describeFile, openLibrary, runRecord, webpHeader, writeLibraryImage } from "../support/studio-library-fixture.js";

function upload(data: Buffer | string): string {
  const file = join(makeTempDir("codex-imagen-upload-"), "upload.bin");
  writeFileSync(file, data);
  return file;
}

const filesIn = (dir: string, area: string) => (existsSync(join(dir, area)) ? readdirSync(join(dir, area)).sort() : []);

test("open makes the library's folders", async () => {
  const { dir } = await openLibrary();
  assert.deepEqual(readdirSync(dir).sort(), ["images", "inputs", "thumbs", "trash"]);
});

test("open removes previews a killed studio left in images/ an hour ago, and nothing else", async () => {
  const { dir } = await openLibrary();
  const names = ["codex-imagen-20261101-080000-000-1-ig_a-partial-0.png", "codex-imagen-20261101-080000-000-1-ig_b-partial-1.png", "codex-imagen-20261101-080000-000-1-ig_a.png", "notes-partial-1.png"];
  for (const name of names) writeFileSync(join(dir, "images", name), renderPlaceholder(name, 8, 8));
  const old = new Date(Date.now() - 2 * 3_600_000);
  for (const name of [names[0], names[2], names[3]]) utimesSync(join(dir, "images", name as string), old, old);
  await StudioLibrary.open(dir);
  assert.deepEqual(filesIn(dir, "images"), [names[2], names[1], names[3]].sort(), "only the old preview went; a fresh one may still be on its way to a page");
});

test("open refuses a relative folder, and says what to do when the folder cannot be made", async () => {
  await assert.rejects(StudioLibrary.open("studio"), UsageError);
  const file = join(makeTempDir(), "a-file");
  writeFileSync(file, "");
  const dir = join(file, "studio");
  await assert.rejects(StudioLibrary.open(dir), (error: unknown) => error instanceof IoError && error.message.startsWith(`Could not create the studio library in ${dir} (ENOTDIR); choose another folder for it (--library DIR)`));
});

test("importInput stores an upload once, named by its content, and describes it", async () => {
  const { library, dir } = await openLibrary();
  const png = renderPlaceholder("reference", 48, 32);
  const first = await library.importInput(upload(png));
  const again = await library.importInput(upload(png));
  const jpeg = await library.importInput(upload(tinyJpeg()));
  assert.deepEqual(again, first);
  assert.match(first.path, /^inputs\/[0-9a-f]{16}\.png$/);
  assert.deepEqual({ ...first, path: "", sha256: "" }, { path: "", sha256: "", mime: "image/png", width: 48, height: 32, bytes: png.length });
  assert.match(jpeg.path, /^inputs\/[0-9a-f]{16}\.jpg$/);
  assert.deepEqual(filesIn(dir, "inputs"), [first.path, jpeg.path].map((path) => path.slice("inputs/".length)).sort());
  assert.deepEqual(readFileSync(join(dir, first.path)), png);
});

test("importInput refuses HTML, SVG and damaged images with a UsageError, storing nothing", async () => {
  const { library, dir } = await openLibrary();
  const uploads = [
    "<!doctype html><html><script>alert(1)</script></html>",
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    renderPlaceholder("cut", 16, 16).subarray(0, 60),
    "",
  ];
  for (const data of uploads) {
    await assert.rejects(library.importInput(upload(data)), (error: unknown) => error instanceof UsageError && /upload a PNG, JPEG, GIF or WebP file/.test(error.message));
  }
  assert.deepEqual(filesIn(dir, "inputs"), []);
});

test("a composite is saved with the CLI's naming beside the run's images and carried by the run", async () => {
  const { library, dir } = await openLibrary();
  const raw = writeLibraryImage(dir, "codex-imagen-20261125-100000-000-1-ig_1.png");
  const run = runRecord(library, { kind: "edit", images: [raw] });
  await library.appendRun(run);
  const bytes = renderPlaceholder("composite", 16, 16);
  const image = await library.addComposite(run.id, 0, bytes);
  const second = await library.addComposite(run.id, 0, bytes);
  assert.match(image.path, /^images\/codex-imagen-\d{8}-\d{6}-\d{3}-1-composite(-\d+)?\.png$/);
  assert.notEqual(second.path, image.path);
  assert.deepEqual(readFileSync(join(dir, image.path)), bytes);
  assert.deepEqual({ ...image, path: "" }, { ...describeFile("", bytes, 16, 16), revised_prompt: null, quality: null, output_format: null, request_index: null });
  assert.deepEqual((await library.get(run.id))?.composites, [{ of: 0, image }, { of: 0, image: second }]);
  assert.deepEqual((await library.list()).runs[0]?.composites.length, 2);
});

test("addComposite refuses an unknown run, a deleted run, a missing image index and bytes that are not an image", async () => {
  const { library, dir } = await openLibrary();
  const run = runRecord(library, { images: [writeLibraryImage(dir, "a.png")] });
  await library.appendRun(run);
  const png = renderPlaceholder("composite", 16, 16);
  await assert.rejects(library.addComposite("run_nope", 0, png), (error: unknown) => error instanceof LibraryNotFoundError && /no run run_nope/.test(error.message));
  await assert.rejects(library.addComposite(run.id, 1, png), (error: unknown) => error instanceof UsageError && /index 0 to 0/.test(error.message));
  await assert.rejects(library.addComposite(run.id, 0, Buffer.from("<svg/>")), InvalidImageError);
  await assert.rejects(library.addComposite(run.id, 0, png.subarray(0, png.length - 12)), InvalidImageError);
  await library.delete(run.id);
  await assert.rejects(library.addComposite(run.id, 0, png), (error: unknown) => error instanceof LibraryNotFoundError && /was deleted/.test(error.message));
  assert.deepEqual(filesIn(dir, "images"), []);
});

test("a thumbnail is stored under the image's name, replaced by a newer one, and found again", async () => {
  const { library, dir } = await openLibrary();
  const image = writeLibraryImage(dir, "codex-imagen-20261125-100000-000-1-ig_1.png");
  assert.equal(await library.thumbPathOf(image.path), null);
  const thumb = renderPlaceholder("thumb", 256, 144);
  assert.equal(await library.saveThumb(image.path, thumb), "thumbs/codex-imagen-20261125-100000-000-1-ig_1.png");
  assert.equal(await library.thumbPathOf(image.path), "thumbs/codex-imagen-20261125-100000-000-1-ig_1.png");
  assert.deepEqual(readFileSync(join(dir, "thumbs", "codex-imagen-20261125-100000-000-1-ig_1.png")), thumb);
  assert.equal(await library.saveThumb(image.path, webpHeader(200, 256)), "thumbs/codex-imagen-20261125-100000-000-1-ig_1.webp");
  assert.equal(await library.thumbPathOf(image.path), "thumbs/codex-imagen-20261125-100000-000-1-ig_1.webp");
  assert.deepEqual(filesIn(dir, "thumbs"), ["codex-imagen-20261125-100000-000-1-ig_1.webp"]);
  assert.deepEqual(filesIn(dir, "trash/thumbs"), ["codex-imagen-20261125-100000-000-1-ig_1.png"]);
});

test("saveThumb refuses thumbnails over 256 px, GIFs, non-images, oversized files and images the library lacks", async () => {
  const { library, dir } = await openLibrary();
  const image = writeLibraryImage(dir, "a.png");
  const refusals: Array<[string, Uint8Array, (error: unknown) => boolean]> = [
    [image.path, renderPlaceholder("big", 257, 100), (error) => error instanceof UsageError && /257x100 px; its longest side must be at most 256 px/.test(error.message)],
    [image.path, tinyGif(), (error) => error instanceof UsageError && /not GIF/.test(error.message)],
    [image.path, Buffer.from("<html></html>"), (error) => error instanceof InvalidImageError],
    [image.path, Buffer.alloc(600 * 1024), (error) => error instanceof UsageError && /the limit is 512 KB/.test(error.message)],
    ["images/missing.png", renderPlaceholder("t", 16, 16), (error) => error instanceof LibraryNotFoundError],
    ["inputs/a.png", renderPlaceholder("t", 16, 16), (error) => error instanceof LibraryNotFoundError],
    ["images/../a.png", renderPlaceholder("t", 16, 16), (error) => error instanceof LibraryNotFoundError],
  ];
  for (const [path, bytes, check] of refusals) await assert.rejects(library.saveThumb(path, bytes), check);
  assert.deepEqual(filesIn(dir, "thumbs"), []);
});

test("deleting a run hides it and moves its images, composites, thumbnails and unshared inputs to trash/, unlinking nothing", async () => {
  const first = await openLibrary();
  const { library, dir } = first;
  const shared = await library.importInput(upload(renderPlaceholder("shared", 16, 16)));
  const own = await library.importInput(upload(renderPlaceholder("own", 16, 16)));
  const mask = await library.importInput(upload(renderPlaceholder("mask", 16, 16)));
  const images = [writeLibraryImage(dir, "one-1.png"), writeLibraryImage(dir, "one-2.png")];
  const run = runRecord(library, { kind: "edit", references: [shared, own], mask, images });
  const other = runRecord(library, { kind: "edit", references: [shared], images: [writeLibraryImage(dir, "two-1.png")] });
  await library.appendRun(run);
  await library.appendRun(other);
  const composite = await library.addComposite(run.id, 1, renderPlaceholder("composite", 16, 16));
  await library.saveThumb("images/one-1.png", renderPlaceholder("thumb", 16, 16));
  // Something of that name is in the trash already: the run's file arrives as -2.
  mkdirSync(join(dir, "trash", "images"), { recursive: true });
  writeFileSync(join(dir, "trash", "images", "one-2.png"), "older");
  const fileCount = () => ["images", "inputs", "thumbs", "trash/images", "trash/inputs", "trash/thumbs"].reduce((sum, area) => sum + filesIn(dir, area).length, 0);
  const before = fileCount();

  await library.delete(run.id);

  assert.equal(await library.get(run.id), undefined);
  assert.deepEqual((await library.list()).runs.map((listed) => listed.id), [other.id]);
  const second = await openLibrary(dir);
  assert.equal(await second.library.get(run.id), undefined);
  assert.equal(fileCount(), before);
  assert.deepEqual(filesIn(dir, "images"), ["two-1.png"]);
  assert.deepEqual(filesIn(dir, "trash/images"), ["one-1.png", "one-2-2.png", "one-2.png", composite.path.slice("images/".length)].sort());
  assert.equal(readFileSync(join(dir, "trash", "images", "one-2.png"), "utf8"), "older");
  assert.deepEqual(filesIn(dir, "trash/thumbs"), ["one-1.png"]);
  assert.deepEqual(filesIn(dir, "inputs"), [shared.path.slice("inputs/".length)]);
  assert.deepEqual(filesIn(dir, "trash/inputs"), [own.path, mask.path].map((path) => path.slice("inputs/".length)).sort());
  await assert.rejects(library.delete(run.id), LibraryNotFoundError);
  await assert.rejects(library.delete("run_unknown"), LibraryNotFoundError);
});

test("the same input deleted twice lands in the trash as <name>-2", async () => {
  const { library, dir } = await openLibrary();
  const png = renderPlaceholder("again", 16, 16);
  let name = "";
  for (let i = 0; i < 2; i++) {
    const reference = await library.importInput(upload(png));
    name = reference.path.slice("inputs/".length);
    const run = runRecord(library, { kind: "edit", references: [reference] });
    await library.appendRun(run);
    await library.delete(run.id);
  }
  assert.deepEqual(filesIn(dir, "trash/inputs"), [name.replace(".png", "-2.png"), name]);
});

test("an input held by a run still going stays when another run using it is deleted, and goes with the next delete once released", async () => {
  const { library, dir } = await openLibrary();
  const reference = await library.importInput(upload(renderPlaceholder("held", 16, 16)));
  const first = runRecord(library, { kind: "edit", references: [reference] });
  await library.appendRun(first);
  const release = library.holdInputs([reference.path]);
  await library.delete(first.id);
  assert.deepEqual(filesIn(dir, "inputs"), [reference.path.slice("inputs/".length)], "the going run still has its reference");
  release();
  release();
  const second = runRecord(library, { kind: "edit", references: [reference] });
  await library.appendRun(second);
  await library.delete(second.id);
  assert.deepEqual(filesIn(dir, "inputs"), []);
});

test("a run deleted by another studio process is hidden here too", async () => {
  const first = await openLibrary();
  const second = await openLibrary(first.dir);
  const run = runRecord(first.library);
  await first.library.appendRun(run);
  assert.ok(await second.library.get(run.id));
  await second.library.delete(run.id);
  assert.equal(await first.library.get(run.id), undefined);
  assert.equal((await first.library.list()).total, 0);
});

test("resolveFile serves files of images/, inputs/ and thumbs/ only, never through .., absolute paths or links that lead out", async () => {
  const { library, dir } = await openLibrary();
  writeLibraryImage(dir, "a.png");
  writeLibraryImage(dir, "b.png", "inputs");
  writeFileSync(join(dir, "trash", "t.png"), "x");
  const outside = join(makeTempDir("codex-imagen-outside-"), "secret.png");
  writeFileSync(outside, "secret");
  symlinkSync(outside, join(dir, "images", "escape.png"));
  symlinkSync(join(dir, "library.jsonl"), join(dir, "thumbs", "log.png"));
  symlinkSync(join(dir, "images", "a.png"), join(dir, "images", "alias.png"));
  const real = realpathSync(dir);
  assert.equal(await library.resolveFile("images/a.png"), join(real, "images", "a.png"));
  assert.equal(await library.resolveFile("inputs/b.png"), join(real, "inputs", "b.png"));
  assert.equal(await library.resolveFile("images/alias.png"), join(real, "images", "a.png"));
  for (const refused of [
    "images/../library.jsonl",
    "../library.jsonl",
    "images/../../secret.png",
    "images/..",
    "images/",
    "images",
    outside,
    join(dir, "images", "a.png"),
    "/images/a.png",
    "images\\..\\library.jsonl",
    "images/a.png\0.png",
    "trash/t.png",
    "library.jsonl",
    "images/escape.png",
    "thumbs/log.png",
    "images/missing.png",
    "./images/a.png",
  ]) {
    assert.equal(await library.resolveFile(refused), undefined, refused);
  }
});
