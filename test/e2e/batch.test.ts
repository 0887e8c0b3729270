/** `codex-imagen batch` end to end: inputs, names, manifest, resume, usage limits, gallery (spec §8). */
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { assertDoneFilesIntact, batchJson, manifestLines, runBatch, writeJobs } from "../support/batch-fixture.js";
import { contentItems, listDir, promptText, type RequestBody, setupCli } from "../support/cli-fixture.js";
import type { RecordedRequest } from "../support/fake-backend.js";
import { tinyPng } from "../support/images.js";
import { runCli } from "../support/run-cli.js";

const POLICY_REFUSAL = { kind: "http-error", status: 400, body: { error: { code: "moderation_blocked", message: "Your request was rejected by the safety system." } } } as const;

function toolFor(requests: RecordedRequest[], prompt: string): Record<string, unknown> | undefined {
  const request = requests.find((entry) => promptText(entry.body as RequestBody) === prompt);
  return (request?.body as RequestBody | undefined)?.tools[0];
}

describe("codex-imagen batch", { concurrency: 4 }, () => {
  test("a JSONL batch: one request per image, files named from ids, a manifest line per job, paths on stdout, a gallery", async (t) => {
    const f = await setupCli(t);
    const file = writeJobs(f.home.home, "shots.jsonl", [
      { prompt: "a red fox", id: "fox", count: 2 },
      { prompt: "a whale", quality: "high", size: "1024x1024" },
      { prompt: "a cover", output: "cover.png" },
    ]);
    const run = await runBatch(f, file, ["--quality", "low", "--aspect-ratio", "3:2", "--concurrency", "2"]);
    assert.equal(run.code, 0, run.stderr);
    const outDir = join(f.home.home, "shots-images");
    const records = manifestLines(outDir);
    assert.deepEqual(records.map((record) => [record.line, record.status]).sort(), [[1, "done"], [2, "done"], [3, "done"]]);
    const whale = records.find((record) => record.prompt === "a whale");
    assert.match(whale?.id ?? "", /^[0-9a-f]{12}-1$/);
    assert.deepEqual(listDir(outDir), ["cover.png", "fox-2.png", "fox.png", "index.html", "manifest.jsonl", `${whale?.id}.png`].sort());
    assert.deepEqual(run.lines().sort(), records.flatMap((record) => record.images.map((image) => image.path)).sort());
    assertDoneFilesIntact(records, "first run");
    assert.equal(f.backend.generations.length, 4);
    assert.deepEqual(toolFor(f.backend.generations, "a red fox"), { type: "image_generation", size: "1536x1024", quality: "low" });
    assert.deepEqual(toolFor(f.backend.generations, "a whale"), { type: "image_generation", size: "1024x1024", quality: "high" });
    assert.match(run.stderr, /^done fox \(line 1\): 2 images in [\d.]+ s \[\d\/3\]$/m);
    const gallery = readFileSync(join(outDir, "index.html"), "utf8");
    for (const name of ["fox.png", "fox-2.png", "cover.png", "a red fox"]) assert.ok(gallery.includes(name), name);
  });

  test("CSV with references separated by |, TXT with comments, and JSONL on stdin: the same job has the same id everywhere", async (t) => {
    const f = await setupCli(t);
    const dir = f.home.home;
    writeFileSync(join(dir, "a.png"), tinyPng("a"));
    writeFileSync(join(dir, "b.png"), tinyPng("b"));
    writeFileSync(join(dir, "jobs.csv"), 'prompt,id,references,quality\n"edit this, please",edit,a.png|b.png,medium\na red fox,,,\n');
    const csv = await runBatch(f, join(dir, "jobs.csv"));
    assert.equal(csv.code, 0, csv.stderr);
    const edit = f.backend.generations.find((request) => promptText(request.body as RequestBody) === "edit this, please");
    assert.equal(contentItems(edit?.body as RequestBody).filter((item) => item.type === "input_image").length, 2);
    const csvFox = manifestLines(join(dir, "jobs-images")).find((record) => record.prompt === "a red fox");

    writeFileSync(join(dir, "prompts.txt"), "# a storyboard\na red fox\n\n# the end\n");
    const txt = await runCli(["batch", "prompts.txt", "--backend", "mock", "--size", "256x256", "--json"], { home: f.home });
    assert.equal(txt.code, 0, txt.stderr);
    const stdin = await runCli(["batch", "-", "--backend", "mock", "--size", "256x256", "--json"], { home: f.home, stdin: '{"prompt": "a red fox"}\n' });
    assert.equal(stdin.code, 0, stdin.stderr);
    const [fromTxt, fromStdin] = [batchJson(txt), batchJson(stdin)];
    assert.equal(fromTxt.out_dir, join(dir, "prompts-images"));
    assert.equal(fromStdin.out_dir, join(dir, "batch-images"));
    assert.deepEqual(fromTxt.counts, { total: 1, done: 1, failed: 0, skipped: 0, not_run: 0 });
    assert.equal(fromTxt.jobs[0]?.id, csvFox?.id);
    assert.equal(fromStdin.jobs[0]?.id, csvFox?.id);
    assert.equal(fromStdin.jobs[0]?.line, 1);
  });

  test("invalid input: every bad line with its number and field, exit 2, nothing sent and nothing written", async (t) => {
    const f = await setupCli(t);
    const file = join(f.home.home, "bad.jsonl");
    writeFileSync(
      file,
      [
        '{"prompt": "fine"}',
        '{"prompt": "a", "qualty": "high"}',
        '{"prompt": "b", "size": "1000x1000", "colour": "red"}',
        "{not json",
        '{"prompt": "c", "id": "x"}',
        '{"prompt": "d", "id": "x"}',
        '{"prompt": "e", "references": ["missing.png"]}',
      ].join("\n"),
    );
    const run = await runBatch(f, file);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /^error: .*bad\.jsonl has 6 problems; nothing was sent/);
    for (const expected of [/line 2: unknown field "qualty"/, /line 3: unknown field "colour"/, /line 3: size /, /line 4: not valid JSON/, /line 6: id "x" is already used on line 5/, /line 7: reference missing\.png is not a file/]) {
      assert.match(run.stderr, expected);
    }
    const json = await runBatch(f, file, ["--json"]);
    const { error } = JSON.parse(json.stdout) as { error: { code: string; problems: Array<{ line: number; field?: string }> } };
    assert.equal(error.code, "usage");
    assert.deepEqual(error.problems.map((problem) => [problem.line, problem.field]), [[2, "qualty"], [3, "colour"], [3, "size"], [4, undefined], [6, "id"], [7, "references"]]);
    assert.equal(f.backend.generations.length, 0);
    assert.equal(existsSync(join(f.home.home, "bad-images")), false);
  });

  test("re-running resumes: done jobs are skipped, failed and missing ones run; --retry-failed=false and --force", async (t) => {
    const f = await setupCli(t);
    const file = writeJobs(f.home.home, "set.jsonl", ["one", "two", "three", "four"].map((word) => ({ prompt: `icon ${word}`, id: word })));
    const outDir = join(f.home.home, "set-images");
    const sent = (): number => f.backend.generations.length;
    f.backend.enqueue({ kind: "images" }, POLICY_REFUSAL);
    const first = await runBatch(f, file, ["--concurrency", "1"]);
    assert.equal(first.code, 1);
    assert.match(first.stderr, /error: 1 of 4 jobs failed .*run the same command again to retry them/);
    assert.deepEqual(manifestLines(outDir).map((record) => `${record.id} ${record.status}`), ["one done", "two failed", "three done", "four done"]);
    assert.equal(sent(), 4);

    const keepFailed = await runBatch(f, file, ["--retry-failed=false"]);
    assert.equal(keepFailed.code, 1);
    assert.equal(sent(), 4, "--retry-failed=false sends nothing");

    const retry = await runBatch(f, file);
    assert.equal(retry.code, 0, retry.stderr);
    assert.equal(sent(), 5, "only the failed job runs again");
    assert.deepEqual(retry.lines(), [join(outDir, "two.png")]);

    const again = await runBatch(f, file, ["--json"]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(sent(), 5, "everything was done: nothing is sent");
    assert.deepEqual(batchJson(again).counts, { total: 4, done: 4, failed: 0, skipped: 4, not_run: 0 });

    rmSync(join(outDir, "three.png"));
    writeFileSync(join(outDir, "four.png"), "edited by hand");
    const repair = await runBatch(f, file);
    assert.equal(repair.code, 0, repair.stderr);
    assert.equal(sent(), 7, "a missing or changed file makes its job run again");

    const files = listDir(outDir);
    const forced = await runBatch(f, file, ["--force"]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(sent(), 11);
    assert.deepEqual(listDir(outDir), files, "redone jobs replace their own files");
    const records = manifestLines(outDir);
    assert.equal(records.length, 4 + 1 + 2 + 4);
    assertDoneFilesIntact(records.slice(-4), "after --force");
  });

  test("a resumed run whose command-line defaults differ says how many done jobs differ and how; it keeps them", async (t) => {
    const f = await setupCli(t);
    const file = writeJobs(f.home.home, "moods.jsonl", [
      { prompt: "a calm sea", id: "sea" },
      { prompt: "a calm lake", id: "lake" },
      { prompt: "a calm pond", id: "pond", quality: "medium" },
    ]);
    const outDir = join(f.home.home, "moods-images");
    const first = await runBatch(f, file, ["--quality", "high"]);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(manifestLines(outDir).map((record) => [record.id, record.defaults]).sort(), [["lake", { quality: "high" }], ["pond", {}], ["sea", { quality: "high" }]]);

    const lower = await runBatch(f, file, ["--quality", "low"]);
    assert.equal(lower.code, 0, lower.stderr);
    assert.equal(f.backend.generations.length, 3, "done jobs are kept");
    const warnings = lower.stderr.split("\n").filter((line) => line.startsWith("warning:"));
    assert.deepEqual(warnings, ["warning: 2 done jobs were made with --quality high; this run asks for --quality low. They are kept; pass --force to redo them."]);

    const same = await runBatch(f, file, ["--quality", "high"]);
    assert.doesNotMatch(same.stderr, /warning:/, "the same defaults: nothing to say");
    // Records of earlier versions have no defaults: nothing is compared.
    writeFileSync(join(outDir, "manifest.jsonl"), manifestLines(outDir).map(({ defaults: _, ...record }) => `${JSON.stringify(record)}\n`).join(""));
    const old = await runBatch(f, file, ["--quality", "low", "--json"]);
    assert.equal(old.code, 0, old.stderr);
    assert.deepEqual(batchJson(old).counts, { total: 3, done: 3, failed: 0, skipped: 3, not_run: 0 });
    assert.doesNotMatch(old.stderr, /warning:/);
  });

  test("a job redone under other names removes its old files, never one another job of the batch now owns", async (t) => {
    const f = await setupCli(t);
    const mock = ["--backend", "mock", "--size", "256x256", "--concurrency", "1", "--quiet"];
    const file = join(f.home.home, "rename.jsonl");
    writeJobs(f.home.home, "rename.jsonl", [{ prompt: "job b", id: "b" }, { prompt: "job a", id: "a", output: "x.png" }]);
    assert.equal((await runCli(["batch", file, ...mock], { home: f.home })).code, 0);
    writeJobs(f.home.home, "rename.jsonl", [{ prompt: "job b", id: "b", output: "x.png" }, { prompt: "job a", id: "a", output: "y.png" }]);
    const run = await runCli(["batch", file, ...mock, "--force"], { home: f.home });
    assert.equal(run.code, 0, run.stderr);
    const outDir = join(f.home.home, "rename-images");
    assert.deepEqual(listDir(outDir), ["index.html", "manifest.jsonl", "x.png", "y.png"]);
    const latest = manifestLines(outDir).slice(-2);
    assert.deepEqual(latest.map((record) => [record.id, record.images.map((image) => image.path)]), [["b", [join(outDir, "x.png")]], ["a", [join(outDir, "y.png")]]]);
    assertDoneFilesIntact(latest);
  });

  test("a usage limit: stop launching, wait for the reset, send nothing meanwhile; every job ends done", async (t) => {
    const RUNNING_MS = 1000;
    const f = await setupCli(t, { usageLimit: { afterRequests: 3, resetAfterMs: RUNNING_MS + 1500 } });
    // The third image takes a while, so the job beside it (refused at once) learns of the limit while it still runs.
    f.backend.enqueue({ kind: "images" }, { kind: "images" }, { kind: "images", startDelayMs: RUNNING_MS });
    const file = writeJobs(f.home.home, "limit.jsonl", ["a", "b", "c", "d", "e", "f"].map((id) => ({ prompt: `picture ${id}`, id })));
    const run = await runBatch(f, file, ["--concurrency", "2", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(batchJson(run).counts, { total: 6, done: 6, failed: 0, skipped: 0, not_run: 0 });
    const window = f.backend.limitWindow;
    assert.ok(window !== undefined, "the limit was hit");
    // In arrival order, not by time: the third job's request may share the refused one's millisecond.
    const arrivals = f.backend.generations.map((request) => request.at);
    assert.equal(arrivals[3], window.from, "the fourth request hit the limit");
    assert.deepEqual(arrivals.slice(4).filter((at) => at < window.until), [], "only the request that hit the limit arrived before the reset, though a job finished meanwhile");
    assert.equal(arrivals.length, 7, "six images and the one refused request");
    assert.match(run.stderr, /usage limit reached: nothing is sent until it resets at .*; running jobs finish/);
    assert.match(run.stderr, /usage limit reset: continuing/);
    assertDoneFilesIntact(manifestLines(join(f.home.home, "limit-images")));
  });

  test("a limit that resets later than --max-wait stops cleanly: exit 1 naming the reset; the job not done runs next time", async (t) => {
    const f = await setupCli(t, { usageLimit: { afterRequests: 1, resetAfterMs: 3_600_000 } });
    const file = writeJobs(f.home.home, "far.jsonl", ["a", "b", "c"].map((id) => ({ prompt: `picture ${id}`, id })));
    const run = await runBatch(f, file, ["--concurrency", "1", "--max-wait", "60"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /error: Usage limit reached; it resets at .* local time \(in \d+ s\), later than --max-wait 60 s allows\. Stopped; run the same command again after the reset to resume\./);
    assert.equal(f.backend.generations.length, 2, "nothing is sent after the refused request");
    assert.deepEqual(manifestLines(join(f.home.home, "far-images")).map((record) => `${record.id} ${record.status}`), ["a done"]);
  });

  test("no usable login stops the batch at the first job: exit 1 with the login hint, nothing recorded, re-running resumes", async (t) => {
    const f = await setupCli(t);
    const file = writeJobs(f.home.home, "nologin.jsonl", ["a", "b", "c"].map((id) => ({ prompt: `picture ${id}`, id })));
    const run = await runCli(["batch", file, ...f.baseArgs, "--json"], { home: f.home, env: { CODEX_HOME: join(f.home.home, "empty") } });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /error: No usable ChatGPT login found/);
    const summary = batchJson(run);
    assert.deepEqual([summary.counts, summary.stopped?.code], [{ total: 3, done: 0, failed: 0, skipped: 0, not_run: 3 }, "auth_missing"]);
    assert.deepEqual(manifestLines(join(f.home.home, "nologin-images")), []);
    assert.equal(f.backend.generations.length, 0);
  });

  test("gallery DIR rebuilds index.html from the manifest; subcommands have their own --help and go first", async (t) => {
    const f = await setupCli(t);
    const file = writeJobs(f.home.home, "g.jsonl", [{ prompt: "a <b>bold</b> idea", id: "idea" }]);
    assert.equal((await runCli(["batch", file, "--backend", "mock", "--size", "256x256", "--quiet"], { home: f.home })).code, 0);
    const outDir = join(f.home.home, "g-images");
    rmSync(join(outDir, "index.html"));
    const gallery = await runCli(["gallery", outDir], { home: f.home });
    assert.equal(gallery.code, 0, gallery.stderr);
    assert.deepEqual(gallery.lines(), [join(outDir, "index.html")]);
    assert.ok(readFileSync(join(outDir, "index.html"), "utf8").includes("a &#60;b&#62;bold&#60;/b&#62; idea"));
    const empty = await runCli(["gallery", f.home.home], { home: f.home });
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /has no manifest\.jsonl/);

    const batchHelp = await runCli(["batch", "--help"], { home: f.home });
    assert.match(batchHelp.stdout, /^Usage: codex-imagen batch FILE \[flags\]$/m);
    assert.match(batchHelp.stdout, /--max-wait SECONDS/);
    assert.match((await runCli(["gallery", "--help"], { home: f.home })).stdout, /^Usage: codex-imagen gallery DIR$/m);
    const misplaced = await runCli(["--json", "batch", "jobs.jsonl"], { home: f.home });
    assert.equal(misplaced.code, 2);
    assert.match(misplaced.stderr, /batch is a subcommand and goes first: codex-imagen batch FILE \[flags\]\. To use "batch" as the prompt, pass --prompt batch\./);
  });
});
