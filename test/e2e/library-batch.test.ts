import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";
import { type BatchEvent, BatchInputError, type BatchJob, CodexImagenError, generateBatch, type GenerateBatchOptions } from "../../src/index.js";
import { assertDoneFilesIntact, manifestLines } from "../support/batch-fixture.js";
import { ACCOUNT_ID } from "../support/cli-fixture.js";
import { startFakeBackend } from "../support/fake-backend.js";
import { makeTempDir, makeTempHome } from "../support/run-cli.js";
import { makeJwt, writeCodexAuth } from "../support/tokens.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function isolated(): Pick<GenerateBatchOptions, "env" | "homeDir" | "outputDir" | "cwd"> {
  const home = makeTempDir("codex-imagen-lib-batch-");
  return { env: {}, homeDir: home, cwd: home, outputDir: join(home, "out") };
}

describe("generateBatch()", { concurrency: 3 }, () => {
  test("runs typed jobs with option defaults, reports events, and resolves to the --json summary; a second call skips what is done", async () => {
    const options: GenerateBatchOptions = { ...isolated(), backend: "mock", size: "256x256", quality: "low" };
    const jobs: BatchJob[] = [{ prompt: "a red fox", id: "fox", count: 2 }, { prompt: "a whale", quality: "high" }];
    const events: BatchEvent[] = [];
    const result = await generateBatch(jobs, options, { onEvent: (event) => events.push(event) });
    assert.deepEqual(result.counts, { total: 2, done: 2, failed: 0, skipped: 0, not_run: 0 });
    assert.equal(result.manifest, join(options.outputDir, "manifest.jsonl"));
    assert.ok(existsSync(result.gallery));
    const fox = result.jobs.find((job) => job.id === "fox");
    assert.ok(fox && fox.status === "done");
    assert.deepEqual(fox.images.map((image) => image.path), [join(options.outputDir, "fox.png"), join(options.outputDir, "fox-2.png")]);
    assert.deepEqual(new Set(events.map((event) => event.type)), new Set(["warning", "plan", "job-start", "job-progress", "job-end"]));
    assert.match(events.find((event) => event.type === "warning")?.message ?? "", /256x256 has 65536 pixels/);
    assertDoneFilesIntact(manifestLines(options.outputDir));

    const again = await generateBatch(jobs, options);
    assert.deepEqual(again.counts, { total: 2, done: 2, failed: 0, skipped: 2, not_run: 0 });
  });

  test("a call with other defaults than the kept done jobs were made with says so in a warning event", async () => {
    const options: GenerateBatchOptions = { ...isolated(), backend: "mock", size: "256x256", quality: "high" };
    const jobs: BatchJob[] = [{ prompt: "a red fox", id: "fox" }];
    await generateBatch(jobs, options);
    const warnings: string[] = [];
    const again = await generateBatch(jobs, { ...options, quality: "low" }, { onEvent: (event) => event.type === "warning" && warnings.push(event.message) });
    assert.equal(again.counts.skipped, 1);
    assert.ok(warnings.includes("1 done job was made with quality high; this run asks for quality low. It is kept; pass force: true to redo it."), warnings.join("\n"));
  });

  test("invalid jobs reject with a BatchInputError listing each by position and field, before anything runs", async () => {
    const options = { ...isolated(), backend: "mock" as const };
    const jobs = [{ prompt: "fine" }, { prompt: "bad", quality: "ultra" }, { prompt: "worse", aspectRatio: "1:1" }] as unknown as BatchJob[];
    const error = await generateBatch(jobs, options).then(
      () => assert.fail("expected a rejection"),
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof BatchInputError);
    assert.equal(error.code, "usage");
    assert.deepEqual(error.problems.map((problem) => [problem.line, problem.field]), [[2, "quality"], [3, "aspectRatio"]]);
    assert.match(error.message, /job 2: quality must be one of low, medium, high, auto, not "ultra"/);
    assert.equal(existsSync(options.outputDir), false);
  });

  test("aborting rejects with a CodexImagenError; what finished stays recorded, and the next call does the rest", async (t) => {
    const backend = await startFakeBackend({ oauth: { accountId: ACCOUNT_ID }, latencyMs: 300 });
    t.after(() => backend.close());
    const home = makeTempHome();
    const authFile = writeCodexAuth(home.codexHome, { access: makeJwt({ expSeconds: 3600, accountId: ACCOUNT_ID }), refresh: "rt_library_batch", accountId: ACCOUNT_ID });
    const options: GenerateBatchOptions = { ...isolated(), authFile, baseUrl: backend.baseUrl, refreshUrl: backend.refreshUrl, concurrency: 2 };
    const jobs: BatchJob[] = ["a", "b", "c", "d", "e", "f"].map((id) => ({ prompt: `picture ${id}`, id }));
    const controller = new AbortController();
    const stopped = await generateBatch(jobs, options, { signal: controller.signal, onEvent: (event) => event.type === "job-end" && controller.abort() }).then(
      () => assert.fail("expected a rejection"),
      (thrown: unknown) => thrown,
    );
    assert.ok(stopped instanceof CodexImagenError);
    const recorded = manifestLines(options.outputDir);
    assert.ok(recorded.length >= 1 && recorded.length < jobs.length);
    assertDoneFilesIntact(recorded);
    const rest = await generateBatch(jobs, options);
    assert.deepEqual(rest.counts, { total: 6, done: 6, failed: 0, skipped: recorded.length, not_run: 0 });
  });

  test("the result carries the account's limits (usage_limits), also told to onEvent as a usage-limits event", async (t) => {
    const backend = await startFakeBackend({ oauth: { accountId: ACCOUNT_ID } });
    t.after(() => backend.close());
    const home = makeTempHome();
    const authFile = writeCodexAuth(home.codexHome, { access: makeJwt({ expSeconds: 3600, accountId: ACCOUNT_ID }), refresh: "rt_library_limits", accountId: ACCOUNT_ID });
    const options: GenerateBatchOptions = { ...isolated(), authFile, baseUrl: backend.baseUrl, refreshUrl: backend.refreshUrl };
    const events: BatchEvent[] = [];
    const result = await generateBatch([{ prompt: "a fox", id: "fox" }], options, { onEvent: (event) => events.push(event) });
    assert.equal(result.counts.done, 1);
    assert.equal(result.usage_limits?.plan_type, "plus");
    assert.deepEqual(result.usage_limits?.windows.map((window) => window.name), ["primary", "secondary"]);
    const told = events.find((event) => event.type === "usage-limits");
    assert.deepEqual(told?.type === "usage-limits" ? told.limits : undefined, result.usage_limits);
  });

  test("the package's entry exports generateBatch and BatchInputError", async () => {
    const api = (await import(join(ROOT, "dist", "index.js"))) as Record<string, unknown>;
    assert.equal(typeof api.generateBatch, "function");
    assert.equal(typeof api.BatchInputError, "function");
  });
});
