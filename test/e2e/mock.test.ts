import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { assertUsageError, listDir, pngSize, sha256 } from "../support/cli-fixture.js";
import { startFakeBackend } from "../support/fake-backend.js";
import { makeTempHome, runCli } from "../support/run-cli.js";

describe("--backend mock (offline)", { concurrency: 4 }, () => {
  test("renders a valid PNG with no credentials and no network", async (t) => {
    const backend = await startFakeBackend();
    t.after(() => backend.close());
    const home = makeTempHome();
    const out = join(home.home, "out");
    const run = await runCli(["--backend", "mock", "--json", "--base-url", backend.baseUrl, "--out-dir", out, "a mock fox"], { home });
    assert.equal(run.code, 0, run.stderr);
    const result = run.json();
    assert.equal(result.backend, "mock");
    assert.equal(result.images.length, 1);
    const image = result.images[0];
    assert.ok(image !== undefined);
    const bytes = readFileSync(image.path);
    assert.equal(image.mime, "image/png");
    assert.equal(image.sha256, sha256(bytes));
    assert.deepEqual(pngSize(bytes), { width: image.width, height: image.height });
    assert.deepEqual(listDir(out).length, 1);
    assert.equal(backend.requests.length, 0, "the mock backend made no request");
  });

  test("the same prompt gives the same bytes; another prompt differs", async () => {
    const [a, b, c] = await Promise.all(
      ["a lighthouse", "a lighthouse", "a windmill"].map((prompt) => runCli(["--backend=mock", "--json", "--prompt", prompt])),
    );
    const hashes = [a, b, c].map((run) => {
      assert.equal(run?.code, 0, run?.stderr);
      return run?.json().images[0]?.sha256;
    });
    assert.equal(hashes[0], hashes[1]);
    assert.notEqual(hashes[0], hashes[2]);
  });

  test("--size 256x128 sets the image dimensions", async () => {
    const run = await runCli(["--backend", "mock", "--size", "256x128", "x"]);
    assert.equal(run.code, 0, run.stderr);
    const [path] = run.lines();
    assert.ok(path !== undefined);
    assert.deepEqual(pngSize(readFileSync(path)), { width: 256, height: 128 });
  });

  for (const size of ["100x100", "0x0", "big", "4096x4096", "3840x256"]) {
    test(`--size ${size} is a usage error`, async () => {
      assertUsageError(await runCli(["--backend", "mock", "--size", size, "x"]));
    });
  }

  test("an unknown --backend is a usage error", async () => {
    assertUsageError(await runCli(["--backend", "nope", "x"]));
  });
});
