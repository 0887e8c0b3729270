import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import test from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { encodePng } from "../../src/images/png.js";
import { setupCli, sha256 } from "../support/cli-fixture.js";
import { makeTempDir } from "../support/run-cli.js";

// Preloaded into the CLI to report its own peak RSS (see bench/README.md).
const RUSAGE_HOOK = pathToFileURL(fileURLToPath(new URL("../../bench/rusage-hook.mjs", import.meta.url))).href;
// Measured ~150 MB; a reader that holds the 41 MB line as text, or decodes the repeat, needs over 350 MB.
const MAX_RSS_MB = 256;

test("a 41 MB base64 image streamed in 1 KB chunks is saved byte for byte, with bounded memory", { timeout: 120_000 }, async (t) => {
  // Random pixels do not compress: a ~30 MB PNG, sent as one 41 MB base64 line, then repeated in response.completed.
  const png = encodePng(3200, 3200, randomBytes(3200 * 3200 * 3));
  const cli = await setupCli(t);
  cli.backend.enqueue({ kind: "images", images: [{ data: png, callId: "ig_big" }], chunkSize: 1024 });
  const usageFile = join(makeTempDir(), "usage.json");
  const run = await cli.run(["--out-dir", cli.outDir, "--json", "a large picture"], {
    env: { NODE_OPTIONS: `--import=${RUSAGE_HOOK}`, CODEX_IMAGEN_BENCH_RUSAGE: usageFile },
    timeoutMs: 100_000,
  });
  assert.equal(run.code, 0, run.stderr);
  const [image, ...others] = run.json().images;
  assert.ok(image !== undefined && others.length === 0, "expected exactly one saved image");
  assert.equal(sha256(readFileSync(image.path)), sha256(png));
  assert.equal(image.bytes, png.length);
  const { maxRssKb } = JSON.parse(readFileSync(usageFile, "utf8")) as { maxRssKb: number };
  assert.ok(maxRssKb / 1024 < MAX_RSS_MB, `peak RSS ${Math.round(maxRssKb / 1024)} MB, expected under ${MAX_RSS_MB} MB`);
});
