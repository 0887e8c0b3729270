import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { listDir, requestBody, setupCli } from "../support/cli-fixture.js";
import type { Scenario } from "../support/fake-backend.js";

const shapes: Array<[string, Scenario]> = [
  ["the full event sequence, repeated in response.completed", { kind: "images", images: [{}, {}] }],
  ["a minimal stream (output_item.done + bare response.completed)", { kind: "images", images: [{}, {}], minimal: true }],
  ["unknown events, comments and id/retry fields", { kind: "images", images: [{}, {}], unknownEvents: true }],
  ["event: lines", { kind: "images", images: [{}, {}], eventLines: true }],
  ["CRLF line ends", { kind: "images", images: [{}, {}], crlf: true, eventLines: true }],
  ["a trailing data: [DONE]", { kind: "images", images: [{}, {}], done: true }],
  ["tiny network chunks", { kind: "images", images: [{}, {}], chunkSize: 7 }],
  ["no repeat in response.completed", { kind: "images", images: [{}, {}], repeatInCompleted: false }],
  ["partial frames before each image", { kind: "images", images: [{ partials: 2 }, { partials: 1 }] }],
];

describe("streaming tolerance", { concurrency: 4 }, () => {
  for (const [name, scenario] of shapes) {
    test(`${name}: each image saved once`, async (t) => {
      const f = await setupCli(t);
      f.backend.enqueue(scenario);
      const run = await f.run(["--no-retry", "--out-dir", f.outDir, "two images"]);
      assert.equal(run.code, 0, run.stderr);
      const paths = run.lines();
      assert.equal(paths.length, 2, `two paths expected:\n${run.stdout}`);
      assert.equal(listDir(f.outDir).length, 2, `exactly two files: ${listDir(f.outDir).join(", ")}`);
      for (const path of paths) assert.deepEqual(readFileSync(path), f.backend.defaultImage);
      assert.equal(f.backend.generations.length, 1);
    });
  }

  test("--no-stream asks for one JSON answer and saves its images", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "images", images: [{ callId: "ig_nostream" }, {}] });
    const run = await f.run(["--no-stream", "--json", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    const request = f.backend.generations[0];
    assert.ok(request !== undefined);
    assert.equal(requestBody(f.backend).stream, false);
    assert.equal(request.headers.accept, "application/json");
    const result = run.json();
    assert.equal(result.image_count, 2);
    assert.equal(result.images[0]?.call_id, "ig_nostream");
    assert.equal(listDir(f.outDir).length, 2);
  });

  test("partial frames are not saved or printed by default; JSON has finals only", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "images", images: [{ partials: 3 }] });
    const run = await f.run(["--json", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    const result = run.json();
    assert.equal(result.images.length, 1);
    assert.equal(result.images[0]?.partial, false);
    assert.equal(listDir(f.outDir).length, 1);
    assert.ok(result.seen_event_types.includes("response.image_generation_call.partial_image"));
  });
});
