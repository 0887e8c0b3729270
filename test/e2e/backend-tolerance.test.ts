/** protocol.md "Tolerance notes": answers that do not follow the backend's own protocol to the letter. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setupCli } from "../support/cli-fixture.js";

const TOOL_USAGE = { image_gen: { images: 1, input_tokens: 10, model: "gpt-image-2" }, note: "dropped" };

describe("backend tolerance", { concurrency: 2 }, () => {
  test("streamed: a final item still saying generating or in_progress is a final image; tool_usage numbers pass through, summed over --count", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue(
      // Not repeated in response.completed: the item that says `generating` is the only copy.
      { kind: "images", images: [{ status: "generating" }], repeatInCompleted: false, toolUsage: TOOL_USAGE },
      { kind: "images", images: [{ status: "in_progress" }], toolUsage: TOOL_USAGE },
    );
    const run = await f.run(["--out-dir", f.outDir, "--count", "2", "--json", "x"]);
    assert.equal(run.code, 0, run.stderr);
    const result = run.json();
    assert.equal(result.image_count, 2);
    assert.deepEqual(result.images.map((image) => [image.status, image.partial]), [["completed", false], ["completed", false]]);
    assert.deepEqual(result.usage?.tool_usage, { image_gen: { images: 2, input_tokens: 20 } });
    assert.equal(result.usage?.total_tokens, 2786, "token usage is still summed beside it");
  });

  test("not streamed: the same", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "images", images: [{ status: "generating" }], toolUsage: TOOL_USAGE });
    const run = await f.run(["--out-dir", f.outDir, "--no-stream", "--json", "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.json().images.map((image) => [image.status, image.partial]), [["completed", false]]);
    assert.deepEqual(run.json().usage?.tool_usage, { image_gen: { images: 1, input_tokens: 10 } });
  });
});
