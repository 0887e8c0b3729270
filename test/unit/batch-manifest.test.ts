import assert from "node:assert/strict";
import { appendFileSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { type ManifestRecord, ManifestWriter, manifestPath, readManifest } from "../../src/batch/manifest.js";
import { makeTempDir } from "../support/run-cli.js";

function record(id: string, status: "done" | "failed", extra: Partial<ManifestRecord> = {}): ManifestRecord {
  return {
    id,
    line: 1,
    status,
    prompt: `prompt of ${id}`,
    model: "gpt-5.5",
    images: [],
    error: status === "failed" ? { code: "backend", message: "boom" } : null,
    request_ids: [],
    elapsed_ms: 10,
    finished_at: "2026-11-25T10:00:00.000Z",
    ...extra,
  };
}

test("records are appended one per line; reading keeps each id's last record, in the order ids first appeared", async () => {
  const dir = makeTempDir();
  const writer = await ManifestWriter.open(dir);
  await Promise.all([writer.append(record("a", "failed")), writer.append(record("b", "done"))]);
  await writer.append(record("a", "done"));
  await writer.close();
  assert.equal(readFileSync(manifestPath(dir), "utf8").split("\n").length, 4);
  const { records, ignoredLines } = await readManifest(dir);
  assert.deepEqual([...records.keys()], ["a", "b"]);
  assert.equal(records.get("a")?.status, "done");
  assert.deepEqual(ignoredLines, []);
});

test("a line cut short (power loss) is ignored, and the next record still starts on a line of its own", async () => {
  const dir = makeTempDir();
  const writer = await ManifestWriter.open(dir);
  await writer.append(record("a", "done"));
  await writer.close();
  appendFileSync(manifestPath(dir), '{"id":"b","status":"do');
  const again = await ManifestWriter.open(dir);
  await again.append(record("c", "done"));
  await again.close();
  const { records, ignoredLines } = await readManifest(dir);
  assert.deepEqual([...records.keys()], ["a", "c"]);
  assert.deepEqual(ignoredLines, [2]);
});

test("no manifest yet reads as empty", async () => {
  assert.equal((await readManifest(makeTempDir())).records.size, 0);
});
