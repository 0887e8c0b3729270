import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { UsageError } from "../../src/errors.js";
import { parseText, readBatchInput } from "../../src/batch/input.js";
import { makeTempDir } from "../support/run-cli.js";

const noStdin = async (): Promise<string> => assert.fail("stdin is not read for a file");

test("JSONL: one object per line with its line number; blank lines skipped; a BOM and CRLF are fine", () => {
  const records = parseText("jsonl", '\uFEFF{"prompt":"a"}\r\n\r\n{"prompt":"b","count":2}\r\n');
  assert.deepEqual(records, [
    { line: 1, fields: { prompt: "a" } },
    { line: 3, fields: { prompt: "b", count: 2 } },
  ]);
});

test("JSONL: a line that is not JSON, or not an object, is a problem of that line", () => {
  const records = parseText("jsonl", '{"prompt":"a"}\n{"prompt": "b"\n["x"]\n');
  assert.equal(records.length, 3);
  assert.match(String((records[1] as { problem: string }).problem), /^not valid JSON/);
  assert.match(String((records[2] as { problem: string }).problem), /must be a JSON object/);
  assert.deepEqual(records.map((record) => record.line), [1, 2, 3]);
});

test("CSV: header of job fields, empty cells unset, references split at |, quoted cells over several lines", () => {
  const csv = 'prompt,id,count,references\n"a fox, running",fox,2,a.png | b.png\n\n"two\nlines",,,\nplain,,1,\n';
  assert.deepEqual(parseText("csv", csv), [
    { line: 2, fields: { prompt: "a fox, running", id: "fox", count: "2", references: ["a.png", "b.png"] } },
    { line: 4, fields: { prompt: "two\nlines" } },
    { line: 6, fields: { prompt: "plain", count: "1" } },
  ]);
});

test("CSV: an unknown column, a missing prompt column, or a row of the wrong width is reported with its line", () => {
  const unknown = parseText("csv", "prompt,qualty\nx,high\n");
  assert.deepEqual(unknown.map((record) => [record.line, "field" in record ? record.field : undefined]), [[1, "qualty"]]);
  assert.match(String((parseText("csv", "id\nx\n")[0] as { problem: string }).problem), /no "prompt" column/);
  const width = parseText("csv", "prompt,id\na,b,c\nok,1\n");
  assert.deepEqual(width.map((record) => record.line), [2, 3]);
  assert.match(String((width[0] as { problem: string }).problem), /has 3 cells but the header has 2/);
  assert.match(String((parseText("csv", 'prompt\n"x"y\n')[0] as { problem: string }).problem), /^not valid CSV/);
});

test("TXT: one prompt per non-empty line; a line starting with # is a comment, a # inside a prompt is kept", () => {
  assert.deepEqual(parseText("txt", "# storyboard\n  a red fox  \n\nposter with colour #ff0000\n   # indented comment\n"), [
    { line: 2, fields: { prompt: "a red fox" } },
    { line: 4, fields: { prompt: "poster with colour #ff0000" } },
  ]);
});

test("the format follows the extension; the default out dir is <name>-images beside the file; - is JSONL on stdin", async () => {
  const dir = makeTempDir();
  writeFileSync(join(dir, "Shots.CSV"), "prompt\na\n");
  const csv = await readBatchInput("Shots.CSV", dir, noStdin);
  assert.deepEqual(csv.records, [{ line: 2, fields: { prompt: "a" } }]);
  assert.equal(csv.defaultOutDir, join(dir, "Shots-images"));
  assert.equal(csv.baseDir, dir);
  const stdin = await readBatchInput("-", dir, async () => '{"prompt":"from stdin"}\n');
  assert.deepEqual(stdin.records, [{ line: 1, fields: { prompt: "from stdin" } }]);
  assert.equal(stdin.defaultOutDir, join(dir, "batch-images"));
  await assert.rejects(readBatchInput("jobs.json", dir, noStdin), (error) => error instanceof UsageError && /\.jsonl, \.csv or \.txt/.test(error.message));
  await assert.rejects(readBatchInput("missing.jsonl", dir, noStdin), (error) => error instanceof UsageError && /missing\.jsonl does not exist/.test(error.message));
});
