import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { listDir, setupCli } from "../support/cli-fixture.js";
import type { ImageSpec } from "../support/fake-backend.js";

const bad: Array<[string, (png: Buffer) => ImageSpec]> = [
  ["invalid base64", () => ({ b64: "!!!this is not base64 at all!!!" })],
  ["text instead of an image", () => ({ data: Buffer.from("I am sorry, I cannot draw that.\n") })],
  ["a truncated PNG", (png) => ({ data: png.subarray(0, Math.floor(png.length / 2)) })],
  ["an empty result", () => ({ b64: "" })],
];

describe("invalid image data", { concurrency: 4 }, () => {
  for (const [name, spec] of bad) {
    test(`${name}: exit 1 and nothing written`, async (t) => {
      const f = await setupCli(t);
      f.backend.enqueue({ kind: "images", images: [spec(f.backend.defaultImage)] });
      const run = await f.run(["--no-retry", "--out-dir", f.outDir, "x"]);
      assert.equal(run.code, 1, run.stderr);
      assert.equal(run.stdout, "");
      assert.ok(run.stderr.trim().length > 0, "an error message");
      assert.doesNotMatch(run.stderr, /^\s+at /m, "no stack trace");
      assert.deepEqual(listDir(f.outDir), [], "no image and no temp file");
    });
  }

  test("an exact -o path is not created for bad data", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "images", images: [{ data: Buffer.from("not an image") }] });
    const dir = join(f.home.home, "exact");
    const run = await f.run(["--no-retry", "-o", join(dir, "out.png"), "x"]);
    assert.equal(run.code, 1);
    assert.deepEqual(listDir(dir), []);
  });

  test("when the second image is bad, the first one stays and is reported", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "images", images: [{ callId: "ig_good" }, { callId: "ig_bad", b64: "%%%%" }] });
    const run = await f.run(["--no-retry", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 1, run.stderr);
    const files = listDir(f.outDir);
    assert.equal(files.length, 1, `one file expected, got ${files.join(", ")}`);
    assert.match(files[0] as string, /ig_good\.png$/);
    assert.deepEqual(readFileSync(join(f.outDir, files[0] as string)), f.backend.defaultImage);
  });
});
