import assert from "node:assert/strict";
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { describe, test } from "node:test";
import { assertUsageError, listDir, setupCli } from "../support/cli-fixture.js";

const AUTO_NAME = /^codex-imagen-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-(\d{3})-(\d+)-([A-Za-z0-9_-]{1,40})\.png$/;

/** The auto name's local timestamp, as a Date. */
function nameTime(name: string): Date {
  const m = AUTO_NAME.exec(name);
  assert.ok(m !== null, `${name} does not match the auto-name pattern`);
  const [y, mo, d, h, mi, s, ms] = m.slice(1, 8).map(Number) as [number, number, number, number, number, number, number];
  return new Date(y, mo - 1, d, h, mi, s, ms);
}

describe("output paths", { concurrency: 4 }, () => {
  test("-o writes exactly that path, replacing a file that is already there", async (t) => {
    const f = await setupCli(t);
    const target = join(f.home.home, "pics", "fox.png");
    mkdirSync(dirname(target));
    writeFileSync(target, "old contents");
    const run = await f.run(["-o", target, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.lines(), [target]);
    assert.deepEqual(readFileSync(target), f.backend.defaultImage);
    assert.deepEqual(listDir(dirname(target)), ["fox.png"], "no temp file left beside it");
  });

  test("-o with two images numbers them name-1, name-2", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "images", images: [{}, {}] });
    const target = join(f.home.home, "two", "pair.png");
    const run = await f.run(["--output", target, "two foxes"]);
    assert.equal(run.code, 0, run.stderr);
    const expected = [join(f.home.home, "two", "pair-1.png"), join(f.home.home, "two", "pair-2.png")];
    assert.deepEqual(run.lines(), expected);
    assert.deepEqual(listDir(join(f.home.home, "two")), ["pair-1.png", "pair-2.png"]);
  });

  test("-o ending in / or without an extension is a directory; relative -o resolves against --cwd", async (t) => {
    const f = await setupCli(t);
    const work = join(f.home.home, "work");
    mkdirSync(work);
    const slash = await f.run(["-o", "shots/", "--cwd", work, "x"]);
    const bare = await f.run(["-o", "noext", "--cwd", work, "x"]);
    for (const [run, dir] of [[slash, join(work, "shots")], [bare, join(work, "noext")]] as const) {
      assert.equal(run.code, 0, run.stderr);
      const [path] = run.lines();
      assert.ok(path !== undefined);
      assert.equal(dirname(path), dir);
      assert.match(basename(path), AUTO_NAME);
      assert.deepEqual(listDir(dir), [basename(path)]);
    }
  });

  test("--out-dir relative to --cwd; auto names carry time, index and call id", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "images", images: [{ callId: "ig_first" }, { callId: "ig_second" }] });
    const work = join(f.home.home, "w");
    mkdirSync(work);
    const started = Date.now();
    const run = await f.run(["--out-dir", "gen", "--cwd", work, "x"]);
    assert.equal(run.code, 0, run.stderr);
    const names = run.lines().map((path) => {
      assert.equal(dirname(path), join(work, "gen"));
      return basename(path);
    });
    assert.equal(names.length, 2);
    assert.deepEqual(names.map((n) => AUTO_NAME.exec(n)?.slice(8, 10)), [["1", "ig_first"], ["2", "ig_second"]]);
    for (const name of names) {
      const when = nameTime(name).getTime();
      assert.ok(when >= started - 2000 && when <= Date.now() + 2000, `${name} is stamped with the local time`);
    }
  });

  test("a hostile call id cannot leave the output dir", async (t) => {
    const f = await setupCli(t);
    const hostile = ["../../../escape", "..\\..\\win\\escape", "/abs/olute", "x".repeat(120), "../..", "a b\u0000c\nd"];
    f.backend.enqueue({ kind: "images", images: hostile.map((callId) => ({ callId })) });
    const run = await f.run(["--json", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    const paths = run.json().images.map((image) => image.path);
    assert.equal(paths.length, hostile.length);
    for (const path of paths) {
      assert.equal(dirname(path), f.outDir);
      assert.match(basename(path), AUTO_NAME);
    }
    assert.equal(new Set(paths).size, paths.length, "distinct files");
    assert.deepEqual(listDir(f.outDir), paths.map((p) => basename(p)).sort());
    assert.deepEqual(listDir(f.home.home).filter((n) => !["out", "codex-home", "openclaw-state"].includes(n)), []);
    assert.ok(basename(paths[4] as string).endsWith("-image.png"), "an id with nothing usable becomes 'image'");
  });

  test("temp files older than an hour are cleaned up; fresh ones and other files are left alone", async (t) => {
    const f = await setupCli(t);
    mkdirSync(f.outDir);
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    for (const name of [".codex-imagen-stale.tmp", ".codex-imagen-fresh.tmp", "mine.txt"]) writeFileSync(join(f.outDir, name), "x");
    utimesSync(join(f.outDir, ".codex-imagen-stale.tmp"), twoHoursAgo, twoHoursAgo);
    utimesSync(join(f.outDir, "mine.txt"), twoHoursAgo, twoHoursAgo);
    const run = await f.run(["--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    const [path] = run.lines();
    assert.deepEqual(listDir(f.outDir), [".codex-imagen-fresh.tmp", basename(path ?? ""), "mine.txt"].sort());
  });

  test("an output dir that cannot be created (its parent is a file) fails with exit 1 and a clear message", async (t) => {
    const f = await setupCli(t);
    const blocker = join(f.home.home, "blocker");
    writeFileSync(blocker, "a file, not a dir");
    const run = await f.run(["--no-retry", "--out-dir", join(blocker, "sub"), "x"]);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, "");
    assert.ok(run.stderr.includes(blocker), `names the path:\n${run.stderr}`);
    assert.doesNotMatch(run.stderr, /^\s+at /m);
  });

  test("-o together with --out-dir is a usage error", async (t) => {
    const f = await setupCli(t);
    const run = await f.run(["-o", join(f.home.home, "a.png"), "--out-dir", f.outDir, "x"]);
    assertUsageError(run);
    assert.equal(f.backend.generations.length, 0);
  });

  test("the saved type is the sniffed type: declared jpeg but PNG bytes is saved as .png with a warning", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "images", images: [{ outputFormat: "jpeg" }] });
    const run = await f.run(["--json", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    const image = run.json().images[0];
    assert.ok(image !== undefined);
    assert.match(image.path, /\.png$/);
    assert.equal(image.mime, "image/png");
    assert.match(run.stderr, /jpe?g|png/i, "a warning about the mismatch");
  });

  test("an exact -o path keeps its name even when the bytes are another type, with a warning", async (t) => {
    const f = await setupCli(t);
    const target = join(f.home.home, "photo.jpg");
    const run = await f.run(["--json", "-o", target, "x"]);
    assert.equal(run.code, 0, run.stderr);
    const image = run.json().images[0];
    assert.equal(image?.path, target);
    assert.equal(image?.mime, "image/png");
    assert.deepEqual(readFileSync(target), f.backend.defaultImage);
    assert.match(run.stderr, /png/i, "a warning about the mismatch");
  });
});

describe("default output directory", { concurrency: 4 }, () => {
  const cases: Array<[string, (home: string) => Record<string, string | undefined>, (home: string) => string]> = [
    ["CODEX_IMAGEN_OUT_DIR first", (h) => ({ CODEX_IMAGEN_OUT_DIR: join(h, "a"), OPENCLAW_OUTPUT_DIR: join(h, "b"), OPENCLAW_AGENT_DIR: join(h, "c") }), (h) => join(h, "a")],
    ["then OPENCLAW_OUTPUT_DIR", (h) => ({ OPENCLAW_OUTPUT_DIR: join(h, "b"), OPENCLAW_AGENT_DIR: join(h, "c") }), (h) => join(h, "b")],
    ["then OPENCLAW_AGENT_DIR/artifacts/codex-imagen", (h) => ({ OPENCLAW_AGENT_DIR: join(h, "c") }), (h) => join(h, "c", "artifacts", "codex-imagen")],
    ["then OPENCLAW_STATE_DIR/artifacts/codex-imagen", () => ({}), (h) => join(h, "openclaw-state", "artifacts", "codex-imagen")],
    ["then ./codex-imagen-output under --cwd", () => ({ OPENCLAW_STATE_DIR: undefined }), (h) => join(h, "cwd", "codex-imagen-output")],
  ];
  for (const [name, env, expected] of cases) {
    test(name, async (t) => {
      const f = await setupCli(t);
      mkdirSync(join(f.home.home, "cwd"));
      const run = await f.run(["--cwd", join(f.home.home, "cwd"), "x"], { env: env(f.home.home) });
      assert.equal(run.code, 0, run.stderr);
      const [path] = run.lines();
      assert.ok(path !== undefined);
      assert.equal(dirname(path), expected(f.home.home));
      assert.match(basename(path), AUTO_NAME);
    });
  }
});
