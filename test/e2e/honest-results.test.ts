/** Spec §3 "Honest results": what was asked next to what came back, on the command line and in a batch. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { batchJson, manifestLines, runBatch, writeJobs } from "../support/batch-fixture.js";
import { pngSize, setupCli } from "../support/cli-fixture.js";

const SIZE_LINE = /^warning: image 1 size: asked for 1536x1024, got 96x64$/m;

describe("honest results", { concurrency: 4 }, () => {
  test("plain mode: one stderr line per mismatch naming both values; the file is left as it came; --quiet hides them", async (t) => {
    const f = await setupCli(t);
    const other = { kind: "images" as const, images: [{ width: 96, height: 64, quality: "medium" }] };
    f.backend.enqueue(other, other);
    const run = await f.run(["--out-dir", f.outDir, "--size", "1536x1024", "--quality", "high", "--format", "webp", "a wide banner"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, SIZE_LINE);
    assert.match(run.stderr, /^warning: image 1 quality: asked for high, got medium$/m);
    assert.match(run.stderr, /^warning: image 1 format: asked for webp, got png$/m);
    const [path] = run.lines();
    assert.deepEqual(pngSize(readFileSync(path ?? "")), { width: 96, height: 64 }, "nothing resized or re-encoded");

    const quiet = await f.run(["--out-dir", f.outDir, "--size", "1536x1024", "--quality", "high", "--quiet", "a wide banner"]);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stderr, "");
  });

  test("--json: requested after --aspect-ratio mapping, warnings indexed in images[], none for an image that matches", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "images", images: [{ width: 96, height: 64, partials: 1 }] }, { kind: "images", images: [{ width: 1536, height: 1024 }] });
    const run = await f.run(["--out-dir", f.outDir, "--aspect-ratio", "3:2", "--count", "2", "--concurrency", "1", "--save-partials", "--partial-images", "1", "--json", "x"]);
    assert.equal(run.code, 0, run.stderr);
    const result = run.json();
    assert.deepEqual(result.requested, { size: "1536x1024", quality: null, background: null, output_format: null, image_model: null, count: 2 });
    assert.deepEqual(result.images.map((image) => [image.partial, image.width]), [[true, 32], [false, 96], [false, 1536]]);
    assert.deepEqual(result.warnings, [{ code: "size_mismatch", message: "image 1 size: asked for 1536x1024, got 96x64", image_index: 1 }]);
    assert.match(run.stderr, SIZE_LINE);
    assert.doesNotMatch(run.stderr, /image 2 size/);
  });

  test("--json with nothing asked: requested is all null, warnings is an empty list", async (t) => {
    const f = await setupCli(t);
    const result = (await f.run(["--out-dir", f.outDir, "--json", "x"])).json();
    assert.deepEqual(result.requested, { size: null, quality: null, background: null, output_format: null, image_model: null, count: 1 });
    assert.deepEqual(result.warnings, []);
  });

  test("--backend images: the quality the endpoint declares is checked too", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueueFor("images", { kind: "images", images: [{ quality: "medium" }] });
    const run = await f.run(["--out-dir", f.outDir, "--backend", "images", "--quality", "high", "--json", "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.json().warnings, [{ code: "quality_mismatch", message: "image 1 quality: asked for high, got medium", image_index: 0 }]);
  });

  test("batch: manifest records and --json job reports carry requested and warnings; the gallery flags the mismatch in words", async (t) => {
    const f = await setupCli(t);
    const file = writeJobs(f.home.home, "asked.jsonl", [
      { prompt: "a wide banner", id: "wide", size: "1536x1024", quality: "high" },
      { prompt: "anything goes", id: "free" },
    ]);
    f.backend.enqueue({ kind: "images", images: [{ width: 96, height: 64 }] }, { kind: "images" });
    const run = await runBatch(f, file, ["--concurrency", "1", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const warning = { code: "size_mismatch", message: "image 1 size: asked for 1536x1024, got 96x64", image_index: 0 };
    const jobs = batchJson(run).jobs.map((job) => ("requested" in job ? [job.id, job.requested?.size, job.warnings] : [job.id]));
    assert.deepEqual(jobs, [["wide", "1536x1024", [warning]], ["free", null, []]]);
    assert.match(run.stderr, /^warning: wide: image 1 size: asked for 1536x1024, got 96x64$/m);
    const outDir = join(f.home.home, "asked-images");
    const records = manifestLines(outDir);
    assert.deepEqual(records.map((record) => [record.id, record.requested?.quality, record.warnings]), [["wide", "high", [warning]], ["free", null, []]]);
    const html = readFileSync(join(outDir, "index.html"), "utf8");
    const wide = /<article [^>]*id="job-wide"[^]*?<\/article>/.exec(html)?.[0] ?? "";
    assert.match(wide, /not as asked<\/strong>: image 1 size: asked for 1536x1024, got 96x64/);
    assert.match(wide, /<dt>size<\/dt><dd>96x64<\/dd><dt>asked for<\/dt><dd>1536x1024 · high<\/dd>/);
    assert.doesNotMatch(/<article [^>]*id="job-free"[^]*?<\/article>/.exec(html)?.[0] ?? "", /not as asked/);
  });
});
