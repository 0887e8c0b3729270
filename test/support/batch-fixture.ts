/** Batch e2e helpers: job files, running `codex-imagen batch` against a fixture, reading and checking the manifest. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ManifestRecord } from "../../src/batch/manifest.js";
import type { BatchResult } from "../../src/batch/summary.js";
import { assertNoSecrets, type CliFixture } from "./cli-fixture.js";
import { runCli, type CliRun, type RunOptions } from "./run-cli.js";

/** Writes one JSON object per line; returns the file's path. */
export function writeJobs(dir: string, name: string, jobs: unknown[]): string {
  const file = join(dir, name);
  writeFileSync(file, jobs.map((job) => JSON.stringify(job)).join("\n") + "\n");
  return file;
}

/** `codex-imagen batch FILE` with the fixture's backend and login (the subcommand goes first). */
export async function runBatch(f: CliFixture, file: string, args: string[] = [], options: RunOptions = {}): Promise<CliRun> {
  const run = await runCli(["batch", file, ...f.baseArgs, "--auth", f.authFile, ...args], { home: f.home, ...options });
  assertNoSecrets(run, [f.access, f.refresh]);
  return run;
}

export function batchJson(run: CliRun): BatchResult {
  return JSON.parse(run.stdout) as BatchResult;
}

/** Every line of the manifest, which must all be records (a kill never leaves half a line). */
export function manifestLines(outDir: string): ManifestRecord[] {
  const file = join(outDir, "manifest.jsonl");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as ManifestRecord);
}

/** Every `done` line names files that exist with the sha256 it recorded. */
export function assertDoneFilesIntact(records: ManifestRecord[], where = ""): void {
  for (const record of records.filter((entry) => entry.status === "done")) {
    assert.ok(record.images.length > 0, `${where}: done record ${record.id} has no images`);
    for (const image of record.images) {
      assert.ok(existsSync(image.path), `${where}: ${image.path} of done job ${record.id} is missing`);
      assert.equal(createHash("sha256").update(readFileSync(image.path)).digest("hex"), image.sha256, `${where}: ${image.path} differs from its record`);
    }
  }
}
