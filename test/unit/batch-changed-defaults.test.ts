import assert from "node:assert/strict";
import { test } from "node:test";
import { changedDefaultsMessages } from "../../src/batch/changed-defaults.js";
import type { ManifestRecord } from "../../src/batch/manifest.js";
import type { ValidJob } from "../../src/batch/validate.js";
import { optionName } from "../../src/library/options.js";
import { flagName } from "../../src/validate/values.js";

const job = (id: string, defaults: Record<string, string>): ValidJob => ({
  id,
  line: 1,
  prompt: id,
  count: 1,
  tool: {},
  references: [],
  mask: undefined,
  files: { stem: id },
  defaults,
});

const record = (id: string, defaults: Record<string, string> | undefined): ManifestRecord => ({
  id,
  status: "done",
  prompt: id,
  model: null,
  images: [],
  error: null,
  request_ids: [],
  elapsed_ms: 1,
  finished_at: "2026-12-02T10:00:00.000Z",
  ...(defaults && { defaults }),
});

test("kept done jobs are grouped by what changed; a default given or dropped reads as such; unchanged and old records say nothing", () => {
  const kept = [
    { job: job("a", { quality: "low", aspect_ratio: "16:9" }), record: record("a", { quality: "high" }) },
    { job: job("b", { quality: "low", aspect_ratio: "16:9" }), record: record("b", { quality: "high" }) },
    { job: job("c", {}), record: record("c", { size: "1024x1024" }) },
    { job: job("d", { quality: "low" }), record: record("d", { quality: "low" }) },
    { job: job("e", { quality: "low" }), record: record("e", undefined) },
  ];
  assert.deepEqual(changedDefaultsMessages(kept, { nameOf: flagName, force: "pass --force" }), [
    "2 done jobs were made with no --aspect-ratio, --quality high; this run asks for --aspect-ratio 16:9, --quality low. They are kept; pass --force to redo them.",
    "1 done job was made with --size 1024x1024; this run asks for no --size. It is kept; pass --force to redo it.",
  ]);
  assert.deepEqual(changedDefaultsMessages(kept.slice(2, 3), { nameOf: optionName, force: "pass force: true" }), [
    "1 done job was made with size 1024x1024; this run asks for no size. It is kept; pass force: true to redo it.",
  ]);
});
