/**
 * A batch killed at any moment (kill -9, SIGINT, SIGTERM) and run again: every job ends done exactly once, no image
 * is duplicated or half-written, and every `done` line names files that exist with its sha256. Trials are seeded.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { assertDoneFilesIntact, batchJson, manifestLines, runBatch, writeJobs } from "../support/batch-fixture.js";
import { setupCli } from "../support/cli-fixture.js";
import { pool, seededRandom } from "../support/crash-loop.js";
import { fsFaultEnv, literal } from "../support/fs-faults.js";
import { assertCompleteImage } from "../../src/images/sniff.js";

const SEED = Number(process.env.CRASH_SEED ?? 20261202);
const TRIALS = 20;
const WIDTH = 4;
const TEMP = /^\.codex-imagen-[0-9a-f]+\.tmp$/;
const JOBS = [
  { prompt: "icon one", id: "one", count: 2 },
  ...["two", "three", "four", "five", "six", "seven"].map((id) => ({ prompt: `icon ${id}`, id })),
  { prompt: "the cover", output: "cover.png" },
];

/** `onSpawn` hook: `signal` the child `delayMs` after `ready()` first holds (polled). */
function signalWhen(ready: () => boolean, delayMs: number, signal: NodeJS.Signals): (child: ChildProcess) => void {
  return (child) => {
    const poll = setInterval(() => {
      if (!ready()) return;
      clearInterval(poll);
      setTimeout(() => child.kill(signal), delayMs);
    }, 2);
    child.on("exit", () => clearInterval(poll));
  };
}

/** The directory holds exactly the done records' images (plus the manifest, the gallery and temp files of killed runs). */
function assertOnlyRecordedFiles(outDir: string, where: string): void {
  const records = manifestLines(outDir);
  const done = records.filter((record) => record.status === "done");
  const doneIds = done.map((record) => record.id);
  assert.equal(new Set(doneIds).size, doneIds.length, `${where}: a job has two done lines`);
  assert.equal(doneIds.length, JOBS.length, `${where}: not every job is done`);
  assertDoneFilesIntact(records, where);
  const expected = new Set(["manifest.jsonl", "index.html", ...done.flatMap((record) => record.images.map((image) => image.path.slice(outDir.length + 1)))]);
  for (const name of readdirSync(outDir)) {
    if (TEMP.test(name)) continue; // left by a killed run; removed by a later run once stale
    assert.ok(expected.has(name), `${where}: ${name} is not named by any done record (a duplicate or a leftover)`);
  }
  assert.equal(readdirSync(outDir).filter((name) => !TEMP.test(name)).length, expected.size, `${where}: a recorded file is missing`);
}

describe("batch crash safety", { concurrency: 3 }, () => {
  test(`kill -9 at random moments (${TRIALS} seeded trials, seed ${SEED}), then re-run: every job done exactly once, no duplicate or partial image`, { timeout: 120_000 }, async (t) => {
    const random = seededRandom(SEED);
    let killedMidway = 0;
    await pool(TRIALS, WIDTH, async (trial) => {
      const f = await setupCli(t, { latencyMs: 30 });
      const file = writeJobs(f.home.home, "jobs.jsonl", JOBS);
      const outDir = join(f.home.home, "jobs-images");
      const delays: number[] = [];
      // Every fourth trial is killed twice: the second kill lands in the resuming run.
      for (let kill = 0; kill < (trial % 4 === 3 ? 2 : 1); kill += 1) {
        const delayMs = Math.floor(random() * 400);
        delays.push(delayMs);
        const sentBefore = f.backend.generations.length;
        const run = await runBatch(f, file, ["--concurrency", "3", "--quiet"], {
          // Slowed writes of images and of the gallery, so kills also land inside them.
          env: fsFaultEnv({ slowWrite: new RegExp(`^${literal(outDir)}/`), slowMs: 30 }),
          onSpawn: signalWhen(() => f.backend.generations.length > sentBefore, delayMs, "SIGKILL"),
        });
        if (run.signal === "SIGKILL") killedMidway += 1;
        else assert.equal(run.code, 0, `trial ${trial}: ${run.stderr}`);
        const where = `trial ${trial} after kill ${kill + 1} (${delayMs} ms)`;
        if (existsSync(join(outDir, "manifest.jsonl"))) assertDoneFilesIntact(manifestLines(outDir), where);
        // Recorded or not, an image under its own name is always complete.
        for (const name of existsSync(outDir) ? readdirSync(outDir).filter((entry) => entry.endsWith(".png")) : []) {
          assert.doesNotThrow(() => assertCompleteImage(readFileSync(join(outDir, name)), name), `${where}: ${name} is half-written`);
        }
      }
      const final = await runBatch(f, file, ["--concurrency", "3", "--quiet"]);
      const where = `trial ${trial} (kills ${delays.join(", ")} ms after the first request)`;
      assert.equal(final.code, 0, `${where}: ${final.stderr}`);
      assertOnlyRecordedFiles(outDir, where);
    });
    t.diagnostic(`${killedMidway} of ${TRIALS + TRIALS / 4} kills landed before the run finished`);
    assert.ok(killedMidway >= TRIALS / 2, `only ${killedMidway} kills landed before the run finished`);
  });

  for (const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130]] as const) {
    test(`${signal} mid-batch: exit ${code} once running jobs stop, the manifest consistent; a re-run does the rest`, { timeout: 60_000 }, async (t) => {
      const f = await setupCli(t, { latencyMs: 400 });
      const file = writeJobs(f.home.home, "jobs.jsonl", JOBS);
      const outDir = join(f.home.home, "jobs-images");
      const run = await runBatch(f, file, ["--concurrency", "2"], {
        onSpawn: signalWhen(() => manifestLines(outDir).length > 0, 0, signal),
      });
      assert.equal(run.code, code, run.stderr);
      const recorded = manifestLines(outDir);
      assert.ok(recorded.length >= 1 && recorded.length < JOBS.length, `${recorded.length} jobs recorded before the signal`);
      const left = JOBS.length - recorded.filter((record) => record.status === "done").length;
      const lastLine = run.stderr.trimEnd().split("\n").at(-1);
      assert.equal(lastLine, `error: Interrupted by ${signal}; nothing more will be saved. ${left} of ${JOBS.length} jobs are left; run the same command again to resume.`);
      assertDoneFilesIntact(recorded, `after ${signal}`);
      const rerun = await runBatch(f, file, ["--concurrency", "2", "--json"]);
      assert.equal(rerun.code, 0, rerun.stderr);
      assert.equal(batchJson(rerun).counts.skipped, recorded.filter((record) => record.status === "done").length, "jobs recorded before the signal are not redone");
      assertOnlyRecordedFiles(outDir, `after ${signal} and a re-run`);
    });
  }
});
