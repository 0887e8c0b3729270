import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { UsageError } from "../../src/errors.js";
import { encodePng } from "../../src/images/png.js";
import { loadReferences, MAX_REFERENCE_BYTES } from "../../src/images/refs.js";
import type { ReferenceSpec } from "../../src/options.js";

let cwd: string;
const PNG = encodePng(2, 2, new Uint8Array(12).fill(90));
const JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0, 1, 0, 1, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
  0xff, 0xda, 0x00, 0x0c, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0, 0x12, 0xff, 0xd9,
]);
const GIF = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

before(async () => {
  cwd = await fs.mkdtemp(path.join(tmpdir(), "codex-imagen-refs-"));
  await fs.writeFile(path.join(cwd, "cat.png"), PNG);
  await fs.writeFile(path.join(cwd, "photo.jpeg"), JPEG);
  await fs.mkdir(path.join(cwd, "sub"));
  await fs.writeFile(path.join(cwd, "sub", "anim.gif"), GIF);
  await fs.writeFile(path.join(cwd, "drawing.svg"), '<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>');
  await fs.writeFile(path.join(cwd, "page.png"), "<!DOCTYPE html><html></html>");
  await fs.writeFile(path.join(cwd, "notes.txt"), "hello");
});

after(async () => {
  await fs.rm(cwd, { recursive: true, force: true });
});

const dataUrl = (mime: string, bytes: Buffer) => `data:${mime};base64,${bytes.toString("base64")}`;

async function usageError(specs: ReferenceSpec[], pattern: RegExp): Promise<void> {
  await assert.rejects(loadReferences(specs, cwd), (error: unknown) => {
    assert.ok(error instanceof UsageError, String(error));
    assert.equal(error.exitCode, 2);
    assert.match(error.message, pattern);
    return true;
  });
}

test("local files become data URLs of their sniffed type, in order, resolved against cwd", async () => {
  const refs = await loadReferences(
    [
      { kind: "local", value: "cat.png" },
      { kind: "any", value: "photo.jpeg" },
      { kind: "local", value: path.join(cwd, "sub", "anim.gif") },
    ],
    cwd,
  );
  assert.deepEqual(refs, [
    { imageUrl: dataUrl("image/png", PNG), label: "cat.png" },
    { imageUrl: dataUrl("image/jpeg", JPEG), label: "photo.jpeg" },
    { imageUrl: dataUrl("image/gif", GIF), label: path.join(cwd, "sub", "anim.gif") },
  ]);
});


test("valid data URLs pass through unchanged, with a short label", async () => {
  const big = encodePng(64, 64, new Uint8Array(64 * 64 * 3).map((_, i) => (i * 31) % 256));
  const url = dataUrl("image/png", big);
  const [png, jpeg] = await loadReferences([{ kind: "any", value: url }, { kind: "url", value: dataUrl("image/jpeg", JPEG) }], cwd);
  assert.equal(png?.imageUrl, url);
  assert.ok((png?.label.length ?? 0) < 100, "a data URL label is shortened for messages");
  assert.equal(jpeg?.imageUrl, dataUrl("image/jpeg", JPEG));
});

test("-i/--image takes local paths only, --image-url URLs only", async () => {
  await usageError([{ kind: "local", value: "https://example.com/a.png" }], /-i\/--image takes a local file.*--image-url/);
  await usageError([{ kind: "local", value: dataUrl("image/png", PNG) }], /-i\/--image takes a local file/);
  await usageError([{ kind: "url", value: "cat.png" }], /--image-url takes an http\(s\):\/\/ URL.*-i\/--image/);
  await usageError([{ kind: "url", value: "ftp://example.com/a.png" }], /--image-url takes/);
});

test("missing files and directories are usage errors naming the path", async () => {
  await usageError([{ kind: "local", value: "nope.png" }], new RegExp(`cannot read ${escape(path.join(cwd, "nope.png"))} \\(no such file\\)`));
  await usageError([{ kind: "any", value: "sub" }], new RegExp(`${escape(path.join(cwd, "sub"))} is a directory`));
  await usageError([{ kind: "local", value: "cat.png/x" }], /cannot read .*cat\.png\/x/);
});

test("a FIFO is refused at once instead of blocking", { skip: process.platform === "win32", timeout: 10_000 }, async () => {
  const fifo = path.join(cwd, "pipe.png");
  execFileSync("mkfifo", [fifo]);
  await usageError([{ kind: "local", value: "pipe.png" }], /pipe\.png is not a regular file/);
});

test("files that are not PNG, JPEG, GIF or WebP are refused, whatever their name says", async () => {
  for (const name of ["drawing.svg", "page.png", "notes.txt"]) {
    await usageError([{ kind: "local", value: name }], new RegExp(`${escape(name)} is not a PNG, JPEG, GIF or WebP image`));
  }
});

test("files over 50 MB are refused with their size and the limit", async () => {
  const huge = path.join(cwd, "huge.png");
  const handle = await fs.open(huge, "w");
  await handle.write(PNG);
  await handle.truncate(MAX_REFERENCE_BYTES + 5 * 1024 * 1024);
  await handle.close();
  await usageError([{ kind: "local", value: "huge.png" }], /huge\.png is 55\.0 MB; reference images are limited to 50 MB/);
  await fs.rm(huge);
});

test("data URLs must declare an accepted image type that matches valid base64 image data", async () => {
  await usageError([{ kind: "url", value: dataUrl("text/plain", Buffer.from("hi")) }], /declares text\/plain; only image\/png/);
  await usageError([{ kind: "url", value: dataUrl("image/svg+xml", Buffer.from("<svg/>")) }], /declares image\/svg\+xml/);
  await usageError([{ kind: "any", value: "data:image/png,rawbytes" }], /not a base64 data URL/);
  await usageError([{ kind: "any", value: dataUrl("image/png", JPEG) }], /declares image\/png but holds JPEG data/);
  await usageError([{ kind: "any", value: dataUrl("image/png", Buffer.from("plain text here")) }], /is not a PNG, JPEG, GIF or WebP image/);
  await usageError([{ kind: "any", value: `data:image/png;base64,${PNG.toString("base64").slice(0, 20)}!!!!` }], /not valid base64/);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
