import assert from "node:assert/strict";
import { appendFileSync, readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { mock, test } from "node:test";
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

test("requested and warnings are kept; records without them (older versions) or with a malformed one still count", async () => {
  const dir = makeTempDir();
  const requested = { size: "1536x1024", quality: "high", background: null, output_format: null, image_model: null, count: 1 };
  const warnings = [{ code: "size_mismatch" as const, message: "image 1 size: asked for 1536x1024, got 1024x1024", image_index: 0 }];
  const writer = await ManifestWriter.open(dir);
  await writer.append(record("new", "done", { requested, warnings }));
  await writer.close();
  appendFileSync(manifestPath(dir), `${JSON.stringify(record("old", "done"))}\n${JSON.stringify({ ...record("odd", "done"), warnings: [{ code: "from_the_future" }] })}\n`);
  const { records, ignoredLines } = await readManifest(dir);
  assert.deepEqual(ignoredLines, []);
  assert.deepEqual([records.get("new")?.requested, records.get("new")?.warnings], [requested, warnings]);
  assert.deepEqual([records.get("old")?.requested, records.get("old")?.warnings], [undefined, undefined]);
  assert.equal(records.get("odd")?.status, "done");
  assert.equal(records.get("odd")?.warnings, undefined);
});

test("no manifest yet reads as empty", async () => {
  assert.equal((await readManifest(makeTempDir())).records.size, 0);
});

test("jobs finishing together share disk syncs, and each append resolves only after a sync that began after its write", async () => {
  const dir = makeTempDir();
  const probe = await open(manifestPath(dir), "a");
  const handleType = Object.getPrototypeOf(probe) as { datasync: () => Promise<void>; write: (data: string) => Promise<unknown> };
  await probe.close();
  const log: string[] = [];
  const realWrite = handleType.write;
  const realSync = handleType.datasync;
  mock.method(handleType, "write", async function (this: unknown, data: string) {
    const result = await realWrite.call(this, data);
    for (const line of data.split("\n").filter((entry) => entry !== "")) log.push(`write ${(JSON.parse(line) as { id: string }).id}`);
    return result;
  });
  mock.method(handleType, "datasync", async function (this: unknown) {
    const index = log.push("sync start") - 1;
    await realSync.call(this);
    log[index] = `sync of ${log.slice(0, index).filter((entry) => entry.startsWith("write")).length} writes`;
  });
  try {
    const writer = await ManifestWriter.open(dir);
    const ids = Array.from({ length: 40 }, (_, index) => `job-${index}`);
    await Promise.all(
      ids.map(async (id) => {
        await writer.append(record(id, "done"));
        const synced = log.filter((entry) => entry.startsWith("sync of")).map((entry) => Number(entry.split(" ")[2]));
        const position = log.indexOf(`write ${id}`);
        assert.ok(synced.some((count) => count > log.slice(0, position).filter((entry) => entry.startsWith("write")).length), `${id} resolved before a sync covered it`);
      }),
    );
    await writer.close();
    const syncs = log.filter((entry) => entry.startsWith("sync")).length;
    assert.ok(syncs < ids.length / 4, `${syncs} syncs for ${ids.length} appends`);
    assert.deepEqual([...(await readManifest(dir)).records.keys()], ids);
  } finally {
    mock.restoreAll();
  }
});
