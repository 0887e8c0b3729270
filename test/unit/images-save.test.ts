import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, mock, test } from "node:test";
import { InvalidImageError, IoError } from "../../src/errors.js";
import type { ImageItem } from "../../src/images/image-item.js";
import { encodePng } from "../../src/images/png.js";
import { ImageWriter, isDirectoryOutput, removeStaleTempFiles, type ImageWriterOptions } from "../../src/images/save.js";

let root: string;
const now = () => new Date(2026, 4, 6, 7, 8, 9, 10);
const STAMP = "20260506-070809-010";

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(tmpdir(), "codex-imagen-save-"));
});

afterEach(async () => {
  mock.restoreAll();
  await fs.rm(root, { recursive: true, force: true });
});

function png(seed: number): Buffer {
  return encodePng(2, 1, new Uint8Array([seed, 0, 0, 0, seed, 0]));
}

const JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0, 1, 0, 1, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
  0xff, 0xda, 0x00, 0x0c, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0, 0x12, 0xff, 0xd9,
]);

function item(data: Buffer, extra: Partial<ImageItem> = {}): ImageItem {
  return { callId: "ig_abc", data: [data], ...extra };
}

function writer(options: Partial<ImageWriterOptions> & { warnings?: string[] } = {}): ImageWriter {
  const { warnings, ...rest } = options;
  return new ImageWriter({ outDir: path.join(root, "out"), now, onWarning: (message) => warnings?.push(message), ...rest });
}

async function list(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).sort();
}

test("auto names in the out dir, numbered in arrival order, with the sniffed extension", async () => {
  const images = writer();
  const first = await images.save(item(png(1)));
  const second = await images.save(item(JPEG, { callId: "ig_def" }));
  const out = path.join(root, "out");
  assert.equal(first.path, path.join(out, `codex-imagen-${STAMP}-1-ig_abc.png`));
  assert.equal(second.path, path.join(out, `codex-imagen-${STAMP}-2-ig_def.jpg`));
  assert.deepEqual(await fs.readFile(first.path), png(1));
  assert.deepEqual(await fs.readFile(second.path), JPEG);
  assert.deepEqual(first, {
    path: first.path,
    bytes: png(1).length,
    sha256: createHash("sha256").update(png(1)).digest("hex"),
    mime: "image/png",
    ext: "png",
    width: 2,
    height: 1,
    partial: false,
  });
  assert.equal(second.mime, "image/jpeg");
  assert.deepEqual(images.saved().map((file) => file.path), [first.path, second.path]);
  assert.deepEqual(await list(out), [path.basename(first.path), path.basename(second.path)]);
});

test("auto names never overwrite an existing file: -2, -3 are appended", async () => {
  const out = path.join(root, "out");
  await fs.mkdir(out);
  const taken = path.join(out, `codex-imagen-${STAMP}-1-ig_abc.png`);
  await fs.writeFile(taken, "keep me");
  await fs.writeFile(path.join(out, `codex-imagen-${STAMP}-1-ig_abc-2.png`), "keep me too");
  const saved = await writer().save(item(png(1)));
  assert.equal(saved.path, path.join(out, `codex-imagen-${STAMP}-1-ig_abc-3.png`));
  assert.equal(await fs.readFile(taken, "utf8"), "keep me");
  assert.deepEqual(await fs.readFile(saved.path), png(1));
});

test("the same call saved twice in one run gets a second name instead of replacing the first", async () => {
  const images = writer();
  const first = await images.save(item(png(1)));
  const partial = await images.save(item(png(2), { partialIndex: 0, callId: "ig_abc" }));
  const again = await images.save(item(png(3), { callId: "ig_abc" }));
  assert.notEqual(again.path, first.path);
  assert.deepEqual(await fs.readFile(first.path), png(1));
  assert.equal(partial.partial, true);
  assert.match(path.basename(partial.path), new RegExp(`^codex-imagen-${STAMP}-2-ig_abc-partial-0\\.png$`));
  assert.deepEqual(images.saved().map((file) => file.path), [first.path, again.path], "partials are not listed as saved finals");
});

test("a hostile call id stays inside the output directory", async () => {
  const saved = await writer().save(item(png(1), { callId: "../../../etc/passwd\u0000" }));
  assert.equal(path.dirname(saved.path), path.join(root, "out"));
  assert.equal(path.basename(saved.path), `codex-imagen-${STAMP}-1-etcpasswd.png`);
  assert.deepEqual(await list(root), ["out"]);
});

test("exact -o path: one image goes exactly there, replacing a file the user pointed at", async () => {
  const output = path.join(root, "nested", "cat.png");
  await fs.mkdir(path.dirname(output));
  await fs.writeFile(output, "old");
  const images = writer({ output });
  const saved = await images.save(item(png(1)));
  assert.equal(saved.path, output);
  assert.deepEqual(await fs.readFile(output), png(1));
  assert.deepEqual(await list(path.dirname(output)), ["cat.png"]);
});

test("exact -o path with several images: name-1, name-2, name-3, never overwriting numbered files", async () => {
  const output = path.join(root, "cat.png");
  await fs.writeFile(path.join(root, "cat-1.png"), "someone else's");
  const images = writer({ output });
  const first = await images.save(item(png(1)));
  assert.equal(first.path, output);
  const second = await images.save(item(png(2)));
  const third = await images.save(item(png(3)));
  assert.equal(second.path, path.join(root, "cat-2.png"));
  assert.equal(third.path, path.join(root, "cat-3.png"));
  const paths = images.saved().map((file) => file.path);
  assert.deepEqual(paths, [path.join(root, "cat-1-2.png"), second.path, third.path], "the first image moved out of the exact path");
  assert.equal(await fs.readFile(path.join(root, "cat-1.png"), "utf8"), "someone else's");
  assert.deepEqual(await fs.readFile(path.join(root, "cat-1-2.png")), png(1));
  assert.deepEqual(await fs.readFile(second.path), png(2));
  assert.deepEqual(await list(root), ["cat-1-2.png", "cat-1.png", "cat-2.png", "cat-3.png"]);
});

test("exact -o path created in a new directory; partial frames go beside it", async () => {
  const output = path.join(root, "a", "b", "shot.png");
  const images = writer({ output });
  const partial = await images.save(item(png(9), { partialIndex: 1 }));
  const final = await images.save(item(png(1)));
  assert.equal(partial.path, path.join(root, "a", "b", "shot-1-partial-1.png"));
  assert.equal(final.path, output);
  assert.deepEqual(images.saved().map((file) => file.path), [output]);
});

test("-o ending in a separator or without an extension is a directory of auto-named files", async () => {
  assert.equal(isDirectoryOutput("/x/y/"), true);
  assert.equal(isDirectoryOutput(`/x/y${path.sep}`), true);
  assert.equal(isDirectoryOutput("/x/renders"), true);
  assert.equal(isDirectoryOutput("/x/cat.png"), false);
  for (const output of [path.join(root, "shots") + path.sep, path.join(root, "renders")]) {
    const saved = await writer({ output }).save(item(png(1)));
    assert.equal(path.dirname(saved.path), output.replace(/[\\/]$/, ""));
    assert.equal(path.basename(saved.path), `codex-imagen-${STAMP}-1-ig_abc.png`);
  }
});

test("a type that differs from the -o extension is saved unchanged with a warning", async () => {
  const warnings: string[] = [];
  const output = path.join(root, "photo.png");
  const saved = await writer({ output, warnings }).save(item(JPEG));
  assert.equal(saved.path, output);
  assert.equal(saved.mime, "image/jpeg");
  assert.deepEqual(await fs.readFile(output), JPEG);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? "", /\.png/);
  assert.match(warnings[0] ?? "", /JPEG/);
});

test("a declared output_format that differs from the bytes warns once; jpg and jpeg are the same", async () => {
  const warnings: string[] = [];
  const images = writer({ warnings });
  const saved = await images.save(item(png(1), { outputFormat: "webp" }));
  await images.save(item(png(2), { outputFormat: "webp" }));
  assert.equal(path.extname(saved.path), ".png");
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? "", /webp.*PNG/);
  await images.save(item(JPEG, { outputFormat: "jpeg" }));
  await images.save(item(JPEG, { outputFormat: "JPG" }));
  await images.save(item(png(3), { outputFormat: "png" }));
  assert.equal(warnings.length, 1);
  const exact: string[] = [];
  await writer({ output: path.join(root, "x.jpeg"), warnings: exact }).save(item(JPEG));
  assert.deepEqual(exact, []);
});

test("invalid image bytes throw InvalidImageError and write nothing; earlier images stay", async () => {
  const images = writer();
  const good = await images.save(item(png(1)));
  const truncated = png(2).subarray(0, 30);
  await assert.rejects(images.save(item(truncated, { callId: "ig_bad" })), (error: unknown) => {
    assert.ok(error instanceof InvalidImageError);
    assert.match(error.message, /^image 2 \(call ig_bad\) is not a complete PNG\/JPEG\/GIF\/WebP image/);
    return true;
  });
  await assert.rejects(images.save(item(Buffer.from("<html>oops</html>"))), InvalidImageError);
  assert.deepEqual(await list(path.join(root, "out")), [path.basename(good.path)]);
  const next = await images.save(item(png(3)));
  assert.match(next.path, /-2-ig_abc\.png$/, "a rejected image does not use up a number");
});

/** The image's bytes as the saver gets them: in slabs, or written slab by slab into one of its spools. */
function asGiven(images: ImageWriter, slabs: Buffer[], spooled: boolean): ImageItem {
  if (!spooled) return { callId: "ig_abc", data: slabs };
  const spool = images.spool();
  for (const slab of slabs) spool.write(slab);
  return { callId: "ig_abc", data: spool };
}

test("an image in slabs or spooled, cut anywhere (inside a PNG chunk header or a JPEG marker), is checked, hashed and written as if whole", async () => {
  const picture = encodePng(33, 7, new Uint8Array(33 * 7 * 3).map((_, i) => (i * 37) % 256));
  for (const [type, whole] of [["png", picture], ["jpeg", JPEG]] as const) {
    const expected = await writer({ outDir: path.join(root, type) }).save(item(whole));
    for (const spooled of [false, true]) {
      for (let cut = 1; cut < whole.length; cut += 1) {
        const where = `${type} ${spooled ? "spooled" : "in slabs"}, cut at ${cut}`;
        const slabs = [whole.subarray(0, cut), Buffer.alloc(0), whole.subarray(cut, cut + 5), whole.subarray(cut + 5)];
        const images = writer({ outDir: path.join(root, `${type}-${spooled}-${cut}`) });
        const saved = await images.save(asGiven(images, slabs, spooled));
        assert.deepEqual({ ...saved, path: "" }, { ...expected, path: "" }, where);
        assert.ok((await fs.readFile(saved.path)).equals(whole), where);
        assert.deepEqual(await list(path.dirname(saved.path)), [path.basename(saved.path)], `${where}: no temp file left`);
        const lastCut = slabs.slice(0, -1);
        if (lastCut.reduce((sum, slab) => sum + slab.length, 0) < whole.length) {
          const shortDir = path.join(root, `short-${type}-${spooled}-${cut}`);
          const short = writer({ outDir: shortDir });
          await assert.rejects(short.save(asGiven(short, lastCut, spooled)), InvalidImageError, `${where}: truncated at ${cut + 5}`);
          assert.deepEqual(await list(shortDir).catch(() => []), [], `${where}: nothing written for a bad image`);
        }
      }
    }
  }
});

test("spools never saved (a stream cut mid-image) leave no temp file once the run discards them", async () => {
  const images = writer();
  const saved = images.spool();
  saved.write(png(1));
  const abandoned = images.spool();
  abandoned.write(png(2).subarray(0, 20));
  const discarded = images.spool();
  discarded.write(png(3));
  discarded.discard();
  const file = await images.save({ callId: "ig_abc", data: saved });
  await images.discardSpools();
  assert.deepEqual(await list(path.join(root, "out")), [path.basename(file.path)]);
  await assert.rejects(images.save({ callId: "ig_abc", data: abandoned }), /another writer/, "a spool is saved once");
});

test("a spool whose directory cannot be made fails the save with the writer's IoError and the next step", async () => {
  const file = path.join(root, "not-a-dir");
  await fs.writeFile(file, "x");
  const images = writer({ outDir: path.join(file, "images") });
  const spool = images.spool();
  spool.write(png(1));
  await assert.rejects(images.save({ callId: "ig_abc", data: spool }), (error: unknown) => {
    assert.ok(error instanceof IoError);
    assert.match(error.message, /part of that path is a file, not a directory; choose another --out-dir/);
    return true;
  });
});

test("a parent that is a file gives an IoError naming the path and the next step", async () => {
  const file = path.join(root, "not-a-dir");
  await fs.writeFile(file, "x");
  const outDir = path.join(file, "images");
  await assert.rejects(writer({ outDir }).save(item(png(1))), (error: unknown) => {
    assert.ok(error instanceof IoError);
    assert.equal(error.code, "io");
    assert.ok(error.message.includes(outDir), error.message);
    assert.match(error.message, /not a directory/);
    assert.match(error.message, /choose another --out-dir/);
    return true;
  });
  await assert.rejects(writer({ output: path.join(file, "cat.png") }).save(item(png(1))), /choose another -o\/--output path/);
});

test("an exact -o path that is a directory fails cleanly, leaving no temp file", async () => {
  const output = path.join(root, "taken.png");
  await fs.mkdir(output);
  await assert.rejects(writer({ output }).save(item(png(1))), (error: unknown) => {
    assert.ok(error instanceof IoError);
    assert.ok(error.message.includes(output));
    return true;
  });
  assert.deepEqual(await list(root), ["taken.png"]);
  assert.deepEqual(await list(output), []);
});

test("disk full while writing leaves no partial or temp file behind", async () => {
  const realWriteFile = fs.writeFile;
  mock.method(fs, "writeFile", async (file: string, data: readonly Buffer[], options: { flag: string }) => {
    await realWriteFile(file, Buffer.concat(data).subarray(0, 10), options);
    throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
  });
  await assert.rejects(writer().save(item(png(1))), (error: unknown) => {
    assert.ok(error instanceof IoError);
    assert.match(error.message, /No space left/);
    assert.match(error.message, /free some space or choose another --out-dir/);
    return true;
  });
  assert.deepEqual(await list(path.join(root, "out")), []);
});

test("without hard links the writer reserves the name exclusively and still never overwrites", async () => {
  const link = mock.method(fs, "link", async () => {
    throw Object.assign(new Error("EPERM: operation not permitted, link"), { code: "EPERM" });
  });
  const out = path.join(root, "out");
  await fs.mkdir(out);
  const taken = path.join(out, `codex-imagen-${STAMP}-1-ig_abc.png`);
  await fs.writeFile(taken, "keep me");
  const saved = await writer().save(item(png(1)));
  assert.equal(saved.path, path.join(out, `codex-imagen-${STAMP}-1-ig_abc-2.png`));
  assert.equal(await fs.readFile(taken, "utf8"), "keep me");
  assert.deepEqual(await fs.readFile(saved.path), png(1));
  assert.deepEqual(await list(out), [path.basename(taken), path.basename(saved.path)].sort());
  assert.ok(link.mock.callCount() >= 1, "the hard-link path was tried first");
});

test("concurrent saves are numbered in call order without clashes", async () => {
  const images = writer();
  const saved = await Promise.all([1, 2, 3, 4].map((n) => images.save(item(png(n), { callId: `ig_${n}` }))));
  assert.deepEqual(
    saved.map((file) => path.basename(file.path)),
    [1, 2, 3, 4].map((n) => `codex-imagen-${STAMP}-${n}-ig_${n}.png`),
  );
});

test("stale temp files older than an hour are removed, fresh ones and other files kept", async () => {
  const old = path.join(root, ".codex-imagen-old.tmp");
  const fresh = path.join(root, ".codex-imagen-fresh.tmp");
  const other = path.join(root, "keep.tmp");
  for (const file of [old, fresh, other]) await fs.writeFile(file, "x");
  const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
  await fs.utimes(old, twoHoursAgo, twoHoursAgo);
  await fs.utimes(other, twoHoursAgo, twoHoursAgo);
  await removeStaleTempFiles(root);
  assert.deepEqual(await list(root), [".codex-imagen-fresh.tmp", "keep.tmp"]);
  await removeStaleTempFiles(path.join(root, "missing"));
});

test("the writer cleans stale temp files in its own target directory (a -o directory too)", async () => {
  const out = path.join(root, "out");
  await fs.mkdir(out);
  const old = path.join(out, ".codex-imagen-crashed.tmp");
  await fs.writeFile(old, "x");
  const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
  await fs.utimes(old, twoHoursAgo, twoHoursAgo);
  await writer({ output: out + path.sep }).removeStaleTempFiles();
  assert.deepEqual(await list(out), []);
});

test("exact -o path when several images are expected: numbered from the first, a file at the exact path untouched", async () => {
  const output = path.join(root, "dog.png");
  await fs.writeFile(output, "precious");
  const images = writer({ output, numbered: true });
  const first = await images.save(item(png(1), { callId: "ig_1" }));
  const second = await images.save(item(png(2), { callId: "ig_2" }));
  assert.equal(first.path, path.join(root, "dog-1.png"));
  assert.equal(second.path, path.join(root, "dog-2.png"));
  assert.equal(await fs.readFile(output, "utf8"), "precious");
  assert.deepEqual(images.saved().map((file) => file.path), [first.path, second.path], "reported paths are final from the start");
});

test("batch job names: <stem>.<sniffed ext>, then <stem>-2, ...; a redo replaces the job's files in place", async () => {
  const out = path.join(root, "out");
  const first = writer({ jobFiles: { stem: "fox" } });
  assert.equal((await first.save(item(png(1)))).path, path.join(out, "fox.png"));
  assert.equal((await first.save(item(JPEG, { callId: "ig_def" }))).path, path.join(out, "fox-2.jpg"));
  const redo = writer({ jobFiles: { stem: "fox" } });
  await redo.save(item(png(2)));
  assert.deepEqual(await list(out), ["fox-2.jpg", "fox.png"]);
  assert.deepEqual(await fs.readFile(path.join(out, "fox.png")), png(2));
});

test("a batch job's own output extension is kept; bytes of another type are saved under it with a warning", async () => {
  const warnings: string[] = [];
  const images = writer({ jobFiles: { stem: "cover", ext: ".jpg" }, warnings });
  const saved = await images.save(item(png(1)));
  assert.equal(saved.path, path.join(root, "out", "cover.jpg"));
  assert.equal(saved.mime, "image/png");
  assert.deepEqual(warnings, ["cover.jpg ends in .jpg but the image is PNG; the file keeps that name and holds PNG data."]);
  await images.save(item(JPEG, { callId: "ig_def" }));
  assert.deepEqual(await list(path.join(root, "out")), ["cover-2.jpg", "cover.jpg"]);
  assert.equal(warnings.length, 1);
});

test("a batch job stem that would leave the output directory is refused", async () => {
  await assert.rejects(writer({ jobFiles: { stem: "../escape" } }).save(item(png(1))), IoError);
  assert.deepEqual(await list(root), []);
});
