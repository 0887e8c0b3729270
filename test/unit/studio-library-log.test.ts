import assert from "node:assert/strict";
import { appendFileSync, readFileSync, renameSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { UsageError } from "../../src/errors.js";
import { StudioLibrary } from "../../src/studio/library/index.js";
import { openLibrary, runRecord, timeAt, writeLibraryImage } from "../support/studio-library-fixture.js";

const logOf = (dir: string) => join(dir, "library.jsonl");
const lineOf = (record: object) => `${JSON.stringify({ v: 1, type: "run", ...record })}\n`;

test("a run is appended as one line and read back whole, by a fresh open too", async () => {
  const { library, dir, warnings } = await openLibrary();
  const image = writeLibraryImage(dir, "codex-imagen-20261125-100000-000-1-ig_1.png");
  const run = runRecord(library, { images: [{ ...image, revised_prompt: "A lighthouse" }], warnings: [{ code: "size_mismatch", message: "got 1024x1536", image_index: 0 }] });
  await library.appendRun(run);
  const expected = { ...run, composites: [] };
  assert.deepEqual(await library.get(run.id), expected);
  assert.deepEqual((await library.list()).runs, [expected]);
  const lines = readFileSync(logOf(dir), "utf8").split("\n");
  assert.equal(lines.length, 2);
  assert.deepEqual(JSON.parse(lines[0] ?? ""), { v: 1, type: "run", ...run });
  const reopened = await StudioLibrary.open(dir);
  assert.deepEqual(await reopened.get(run.id), expected);
  assert.deepEqual(warnings, []);
});

test("run ids sort by time and differ within the same millisecond", async () => {
  const { library } = await openLibrary();
  const ids = [timeAt(0), timeAt(0), timeAt(1), timeAt(3_600_000)].map((time) => library.newRunId(time));
  assert.match(ids[0] ?? "", /^run_20261125T100000000_[0-9a-f]{8}$/);
  assert.notEqual(ids[0], ids[1]);
  assert.deepEqual([...ids.slice(2)].sort(), ids.slice(2));
  assert.ok((ids[0] ?? "") < (ids[2] ?? "") && (ids[1] ?? "") < (ids[2] ?? ""));
});

test("a composite or tombstone of a run the log does not have changes nothing and warns of nothing", async () => {
  const { library, dir, warnings } = await openLibrary();
  const run = runRecord(library);
  await library.appendRun(run);
  const image = { ...writeLibraryImage(dir, "c.png"), revised_prompt: null };
  appendFileSync(logOf(dir), `${JSON.stringify({ v: 1, type: "composite", run: "run_elsewhere", of: 0, time: timeAt(0).toISOString(), image })}\n`);
  appendFileSync(logOf(dir), `${JSON.stringify({ v: 1, type: "delete", run: "run_elsewhere", time: timeAt(0).toISOString() })}\n`);
  assert.deepEqual((await library.list()).runs, [{ ...run, composites: [] }]);
  assert.deepEqual(warnings, []);
});

test("two libraries on one folder (two studio processes) append in turn and each sees every run", async () => {
  const first = await openLibrary();
  const second = await openLibrary(first.dir);
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    const library = i % 2 === 0 ? first.library : second.library;
    const run = runRecord(library, { prompt: `turn ${i}` }, timeAt(i));
    ids.push(run.id);
    await library.appendRun(run);
    assert.equal((await first.library.list()).total, i + 1);
    assert.equal((await second.library.list()).total, i + 1);
  }
  // And all at once: every line lands whole.
  const burst = Array.from({ length: 20 }, (_, i) => runRecord(i % 2 === 0 ? first.library : second.library, { prompt: `burst ${i}` }, timeAt(100 + i)));
  await Promise.all(burst.map((run, i) => (i % 2 === 0 ? first.library : second.library).appendRun(run)));
  const expected = [...ids, ...burst.map((run) => run.id)].reverse();
  for (const { library } of [first, second]) assert.deepEqual((await library.list({ limit: 200 })).runs.map((run) => run.id), expected);
  assert.deepEqual([...first.warnings, ...second.warnings], []);
});

test("bad lines are skipped with one warning each, naming the file and line; the good lines all count", async () => {
  const { library, dir } = await openLibrary();
  const good = [0, 1, 2].map((i) => runRecord(library, { prompt: `good ${i}` }, timeAt(i)));
  writeFileSync(
    logOf(dir),
    [
      lineOf(good[0] ?? {}),
      "garbage that is not JSON\n",
      lineOf(good[1] ?? {}).slice(0, 40) + "\n", // truncated JSON
      lineOf({ ...good[2], id: "run_other", images: [{ path: "/etc/passwd" }] }), // valid JSON, wrong shape
      "[1, 2, 3]\n",
      `${JSON.stringify({ v: 2, type: "run", id: "run_future" })}\n`,
      "\n",
      lineOf(good[1] ?? {}),
      lineOf(good[2] ?? {}),
    ].join(""),
  );
  const warnings: string[] = [];
  const reopened = await StudioLibrary.open(dir, { onWarning: (message) => warnings.push(message) });
  const page = await reopened.list();
  assert.deepEqual(page.runs.map((run) => run.prompt), ["good 2", "good 1", "good 0"]);
  assert.equal(page.total, 3);
  assert.equal(warnings.length, 5, warnings.join("\n"));
  for (const [i, line] of [2, 3, 4, 5, 6].entries()) assert.match(warnings[i] ?? "", new RegExp(`^${logOf(dir).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} line ${line} was skipped: `));
  assert.match(warnings[0] ?? "", /not valid JSON/);
  assert.match(warnings[2] ?? "", /images\[0\]\.path must be a file in the library's images\/ folder/);
  assert.match(warnings[4] ?? "", /version 2, written by a newer codex-imagen/);
  await reopened.list();
  assert.equal(warnings.length, 5, "a bad line is reported once, not on every read");
});

test("a torn last line is left for the next read, and counted once it is complete", async () => {
  const { library, dir, warnings } = await openLibrary();
  const first = runRecord(library, { prompt: "first" }, timeAt(1));
  const second = runRecord(library, { prompt: "second" }, timeAt(2));
  await library.appendRun(first);
  const line = lineOf(second);
  appendFileSync(logOf(dir), line.slice(0, 25));
  assert.deepEqual((await library.list()).runs.map((run) => run.prompt), ["first"]);
  appendFileSync(logOf(dir), line.slice(25));
  assert.deepEqual((await library.list()).runs.map((run) => run.prompt), ["second", "first"]);
  assert.deepEqual(warnings, []);
});

test("a line a killed writer left unfinished does not swallow the next append", async () => {
  const { library, dir, warnings } = await openLibrary();
  appendFileSync(logOf(dir), lineOf(runRecord(library, { prompt: "cut short" })).slice(0, 30));
  const next = runRecord(library, { prompt: "next" });
  await library.appendRun(next);
  assert.deepEqual((await library.list()).runs.map((run) => run.prompt), ["next"]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? "", /line 1 was skipped: not valid JSON/);
});

test("a log replaced or cut shorter is read again from its start", async () => {
  const { library, dir } = await openLibrary();
  for (const i of [1, 2, 3]) await library.appendRun(runRecord(library, { prompt: `run ${i}` }, timeAt(i)));
  assert.equal((await library.list()).total, 3);
  const replacement = join(dir, "replacement.jsonl");
  writeFileSync(replacement, lineOf(runRecord(library, { prompt: "restored" }, timeAt(9))));
  renameSync(replacement, logOf(dir));
  assert.deepEqual((await library.list()).runs.map((run) => run.prompt), ["restored"]);
  await library.appendRun(runRecord(library, { prompt: "after" }, timeAt(10)));
  truncateSync(logOf(dir), 0);
  appendFileSync(logOf(dir), lineOf(runRecord(library, { prompt: "alone" }, timeAt(11))));
  assert.deepEqual((await library.list()).runs.map((run) => run.prompt), ["alone"]);
});

test("a log rewritten in place with the same size is noticed when a page reads it", async () => {
  const { library, dir } = await openLibrary();
  const runs = [1, 2].map((i) => runRecord(library, { prompt: `old ${i}` }, timeAt(i)));
  for (const run of runs) await library.appendRun(run);
  assert.equal((await library.list()).total, 2);
  const rewritten = readFileSync(logOf(dir), "utf8").replaceAll("old ", "new ").replaceAll(runs[0]?.id ?? "", library.newRunId(timeAt(5)));
  writeFileSync(logOf(dir), rewritten);
  assert.deepEqual((await library.list()).runs.map((run) => run.prompt), ["new 1", "new 2"]);
});

test("appendRun refuses a run the log could not hold, naming the field", async () => {
  const { library, dir } = await openLibrary();
  const image = writeLibraryImage(dir, "a.png");
  const cases: Array<[Partial<Parameters<typeof library.appendRun>[0]>, RegExp]> = [
    [{ images: [{ ...image, path: join(dir, "images", "a.png") }] }, /images\[0\]\.path must be a file in the library's images\/ folder/],
    [{ references: [image] }, /references\[0\]\.path must be a file in the library's inputs\/ folder/],
    [{ id: "run 1/../x" }, /id must be a run id/],
    [{ time: "yesterday" }, /time must be an ISO 8601 time/],
    [{ kind: "variation" as "edit" }, /kind must be one of "generate", "edit"/],
  ];
  for (const [fields, message] of cases) {
    await assert.rejects(library.appendRun(runRecord(library, fields)), (error: unknown) => error instanceof UsageError && message.test(error.message));
  }
  const run = runRecord(library);
  await library.appendRun(run);
  await assert.rejects(library.appendRun(run), (error: unknown) => error instanceof UsageError && /already has a run/.test(error.message));
  assert.equal((await library.list()).total, 1);
});

test("pages stay stable while runs are appended: no run twice, none skipped", async () => {
  const { library } = await openLibrary();
  const ids: string[] = [];
  for (let i = 0; i < 120; i++) {
    const run = runRecord(library, { prompt: `run ${i}` }, timeAt(i * 1000));
    ids.push(run.id);
    await library.appendRun(run);
  }
  const newestFirst = [...ids].reverse();
  const first = await library.list({ limit: 50 });
  assert.deepEqual(first.runs.map((run) => run.id), newestFirst.slice(0, 50));
  assert.equal(first.next, newestFirst[49]);
  // Newer runs, and one that started long ago but finished only now.
  for (let i = 0; i < 5; i++) await library.appendRun(runRecord(library, { prompt: `new ${i}` }, timeAt(1_000_000 + i)));
  const late = runRecord(library, { prompt: "late" }, timeAt(10_500));
  await library.appendRun(late);
  const second = await library.list({ limit: 50, before: first.next ?? "" });
  const third = await library.list({ limit: 50, before: second.next ?? "" });
  assert.equal(third.next, null);
  const shown = [...first.runs, ...second.runs, ...third.runs].map((run) => run.id);
  assert.deepEqual(shown, [...newestFirst.slice(0, 50), ...[...newestFirst.slice(50), late.id].sort().reverse()]);
  assert.equal(third.total, 126);
  assert.deepEqual((await library.list({ limit: 5 })).runs.map((run) => run.prompt), ["new 4", "new 3", "new 2", "new 1", "new 0"]);
});

test("limit must be a whole number from 1 to 200", async () => {
  const { library } = await openLibrary();
  for (const limit of [0, 201, 2.5, Number.NaN]) await assert.rejects(library.list({ limit }), UsageError);
  assert.deepEqual((await library.list({ limit: 200 })).runs, []);
});

test("search matches every word of the query in the prompt, in any case, with its own total and pages", async () => {
  const { library } = await openLibrary();
  const prompts = ["A red CAT on a wall", "red cats, watercolor", "a red dog", "Cat in red boots", "blue cat"];
  for (const [i, prompt] of prompts.entries()) await library.appendRun(runRecord(library, { prompt }, timeAt(i)));
  const found = await library.list({ query: "  cat RED " });
  assert.deepEqual(found.runs.map((run) => run.prompt), ["Cat in red boots", "red cats, watercolor", "A red CAT on a wall"]);
  assert.equal(found.total, 3);
  assert.equal(found.next, null);
  const firstPage = await library.list({ query: "cat red", limit: 2 });
  assert.deepEqual(firstPage.runs.map((run) => run.prompt), ["Cat in red boots", "red cats, watercolor"]);
  const secondPage = await library.list({ query: "cat red", limit: 2, before: firstPage.next ?? "" });
  assert.deepEqual(secondPage.runs.map((run) => run.prompt), ["A red CAT on a wall"]);
  assert.equal(secondPage.next, null);
  assert.deepEqual((await library.list({ query: "giraffe" })).runs, []);
  assert.equal((await library.list({ query: "   " })).total, 5);
});

test("10,000 runs: every live one listed once, newest first, whatever order the lines were written in", async () => {
  const { library, dir, warnings } = await openLibrary();
  const ids = Array.from({ length: 10_000 }, (_, i) => library.newRunId(timeAt(i * 7)));
  const shuffled = ids.map((id, i) => ({ id, key: (i * 7919) % 10_007 })).sort((a, b) => a.key - b.key);
  const deleted = new Set(ids.filter((_, i) => i % 100 === 0));
  const stormy = (i: number) => i % 3 === 0;
  const lines = shuffled.map(({ id }, i) => lineOf(runRecord(library, { id, prompt: `picture ${i} of a ${stormy(i) ? "stormy" : "calm"} harbour` })));
  for (const id of deleted) lines.push(`${JSON.stringify({ v: 1, type: "delete", run: id, time: timeAt(0).toISOString() })}\n`);
  writeFileSync(logOf(dir), lines.join(""));
  const live = ids.filter((id) => !deleted.has(id)).reverse();
  const seen: string[] = [];
  let before: string | undefined;
  do {
    const page = await library.list({ limit: 200, ...(before === undefined ? {} : { before }) });
    assert.equal(page.total, live.length);
    seen.push(...page.runs.map((run) => run.id));
    before = page.next ?? undefined;
  } while (before !== undefined);
  assert.deepEqual(seen, live);
  const stormyLive = shuffled.filter(({ id }, i) => stormy(i) && !deleted.has(id)).length;
  assert.equal((await library.list({ query: "harbour STORMY" })).total, stormyLive);
  assert.deepEqual(warnings, []);
});
