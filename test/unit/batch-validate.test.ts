import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parseText } from "../../src/batch/input.js";
import { canonicalJson } from "../../src/batch/job-id.js";
import { validateJobs, type JobDefaults } from "../../src/batch/validate.js";
import { type GenerateImagesOptions, imageFlagValues, optionName, resolveOptions } from "../../src/library/options.js";
import { flagName } from "../../src/validate/values.js";
import { encodePng } from "../../src/images/png.js";
import { makeTempDir } from "../support/run-cli.js";

const dir = makeTempDir();
writeFileSync(join(dir, "ref.png"), encodePng(1, 1, new Uint8Array([1, 2, 3, 255])));

/** Defaults as the command line gives them (`--quality low`, ...). */
function cliDefaults(image: Record<string, string> = {}, options: Partial<GenerateImagesOptions> = {}): JobDefaults {
  const { options: base } = resolveOptions({ prompt: "batch", env: {}, homeDir: dir, cwd: dir, outputDir: join(dir, "out"), ...options });
  return { base, image, nameOf: flagName, baseDir: dir };
}

function jsonl(...lines: unknown[]): ReturnType<typeof parseText> {
  return parseText("jsonl", lines.map((line) => (typeof line === "string" ? line : JSON.stringify(line))).join("\n"));
}

test("every bad line is listed with its line number and field; good lines around them do not hide them", () => {
  const { jobs, problems } = validateJobs(
    jsonl(
      { prompt: "fine" },
      { prompt: "a", qualty: "high" },
      { prompt: "b", size: "1000x1000" },
      { prompt: "c", quality: "ultra" },
      { prompt: "d", count: 20 },
      "{not json",
      { prompt: "e", size: "1024x1024", aspect_ratio: "16:9" },
      { prompt: "f", references: ["missing.png"] },
      { prompt: "g", mask: "ref.png" },
      { prompt: 5 },
      { prompt: "  " },
      { prompt: "h", output: "../escape.png" },
      { prompt: "i", id: "has space" },
      { prompt: "j", compression: "high" },
    ),
    cliDefaults(),
  );
  assert.deepEqual(jobs.map((job) => job.line), [1]);
  assert.deepEqual(
    problems.map((problem) => [problem.line, problem.field]),
    [
      [2, "qualty"],
      [3, "size"],
      [4, "quality"],
      [5, "count"],
      [6, undefined],
      [7, "size"],
      [8, "references"],
      [9, "mask"],
      [10, "prompt"],
      [11, "prompt"],
      [12, "output"],
      [13, "id"],
      [14, "compression"],
    ],
  );
  assert.match(problems[1]?.message ?? "", /^size .*multiples of 16/);
  assert.match(problems[2]?.message ?? "", /^quality must be one of low, medium, high, auto, not "ultra"$/);
  assert.match(problems[5]?.message ?? "", /^Give either size or aspect_ratio, not both$/);
});

test("a line with several mistakes lists each of them, not only the first", () => {
  const { jobs, problems } = validateJobs(
    jsonl(
      { prompt: "a", size: "1000x1000", qualty: "high" },
      { prompt: "b", size: "1000x1000", quality: "ultra", count: 20, references: ["missing.png"] },
      { prompt: 5, id: "has space", output: "../up.png", compression: "x" },
      { prompt: "c", id: "twice", format: "gif" },
      { prompt: "d", id: "twice", background: "glass" },
      { prompt: "e", format: "png", compression: "50", moderation: "none" },
    ),
    cliDefaults(),
  );
  assert.deepEqual(jobs, []);
  assert.deepEqual(
    problems.map((problem) => [problem.line, problem.field]),
    [
      [1, "qualty"],
      [1, "size"],
      [2, "count"],
      [2, "size"],
      [2, "quality"],
      [2, "references"],
      [3, "prompt"],
      [3, "id"],
      [3, "output"],
      [3, "compression"],
      [4, "format"],
      [5, "background"],
      [5, "id"],
      [6, "compression"],
      [6, "moderation"],
    ],
  );
  assert.match(problems.find((problem) => problem.line === 1 && problem.field === "size")?.message ?? "", /multiples of 16/);
  assert.match(problems.find((problem) => problem.line === 5 && problem.field === "id")?.message ?? "", /id "twice" is already used on line 4/);
});

test("command-line flags are defaults; a job's field overrides them, and messages name whichever was given", () => {
  const defaults = cliDefaults({ quality: "low", "aspect-ratio": "3:2", format: "webp", compression: "80" });
  const { problems } = validateJobs(jsonl({ prompt: "png", format: "png" }), defaults);
  assert.deepEqual(problems.map((problem) => [problem.field, problem.message]), [["compression", "--compression applies only to format jpeg or webp"]]);
  const fixed = validateJobs(jsonl({ prompt: "plain" }, { prompt: "own", quality: "high", size: "1024x1024" }), defaults);
  assert.deepEqual(fixed.jobs.map((job) => job.tool), [
    { size: "1536x1024", quality: "low", output_format: "webp", output_compression: 80 },
    { size: "1024x1024", quality: "high", output_format: "webp", output_compression: 80 },
  ]);
});

test("library defaults are spelled as library options in messages", () => {
  const options = { quality: "low" as const, backend: "mock" as const };
  const defaults: JobDefaults = { ...cliDefaults({}, options), image: imageFlagValues({ prompt: "x", ...options }), nameOf: optionName };
  const { problems } = validateJobs(jsonl({ prompt: "a", format: "webp" }), defaults);
  assert.deepEqual(problems.map((problem) => [problem.field, problem.message]), [["format", "The mock backend renders PNG only; drop format or use format png"]]);
});

test("ids: the id field, else 12 hex digits of the canonical JSON plus -k; the same job gets the same id from JSONL and CSV", () => {
  const fromJsonl = validateJobs(jsonl({ prompt: "fox", count: 2, references: ["ref.png"] }, { id: "whale", prompt: "whale" }, { count: 2, prompt: "fox", references: ["ref.png"] }), cliDefaults());
  const fromCsv = validateJobs(parseText("csv", "count,prompt,references\n2,fox,ref.png\n"), cliDefaults());
  const [fox, whale, fox2] = fromJsonl.jobs;
  assert.match(fox?.id ?? "", /^[0-9a-f]{12}-1$/);
  assert.equal(fox2?.id, `${fox?.id.slice(0, 12)}-2`);
  assert.equal(whale?.id, "whale");
  assert.equal(fromCsv.jobs[0]?.id, fox?.id);
  assert.equal(canonicalJson({ prompt: "fox", id: "x", count: 2 }), '{"count":2,"prompt":"fox"}');
  assert.deepEqual(fox?.files, { stem: fox?.id });
});

test("duplicate ids and jobs whose files would share names are errors; an output keeps its extension", () => {
  const { problems } = validateJobs(
    jsonl(
      { prompt: "a", id: "hero" },
      { prompt: "b", id: "hero" },
      { prompt: "c", id: "shot", count: 2 },
      { prompt: "d", id: "shot-2" },
      { prompt: "e", output: "Cover.JPG" },
      { prompt: "f", output: "cover.png" },
      { prompt: "g", output: "index.html" },
    ),
    cliDefaults(),
  );
  assert.deepEqual(problems.map((problem) => [problem.line, problem.field]), [
    [2, "id"],
    [4, "id"],
    [6, "output"],
    [7, "output"],
  ]);
  assert.match(problems[0]?.message ?? "", /already used on line 1/);
  assert.match(problems[1]?.message ?? "", /would write shot-2\.\* like the job on line 3/);
  const { jobs } = validateJobs(jsonl({ prompt: "e", output: "Cover.JPG" }, { prompt: "x", output: "noext" }), cliDefaults());
  assert.deepEqual(jobs.map((job) => job.files), [{ stem: "Cover", ext: ".JPG" }, { stem: "noext" }]);
});

test("references resolve against the batch file's directory; URLs are not checked here", () => {
  const { jobs, problems } = validateJobs(jsonl({ prompt: "edit", references: ["ref.png", "https://example.test/a.png"], mask: "ref.png" }), cliDefaults());
  assert.deepEqual(problems, []);
  assert.deepEqual(jobs[0]?.references, [
    { kind: "any", value: "ref.png" },
    { kind: "any", value: "https://example.test/a.png" },
  ]);
  assert.equal(jobs[0]?.mask, join(dir, "ref.png"));
});
