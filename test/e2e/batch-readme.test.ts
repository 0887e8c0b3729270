/** The README's Batch section runs as printed: its JSONL and CSV files, its commands (mock backend) and its code. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { manifestLines } from "../support/batch-fixture.js";
import { cleanEnv, makeTempHome, runCli } from "../support/run-cli.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function batchSection(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("\n## Batch\n");
  assert.ok(start !== -1, "README has a ## Batch section");
  return readme.slice(start, readme.indexOf("\n## ", start + 1));
}

/** Each ```jsonl / ```csv block with the file name in backticks that opens the paragraph before it. */
function exampleFiles(section: string): Array<{ name: string; text: string }> {
  return [...section.matchAll(/`([\w.-]+\.(?:jsonl|csv))`[^\n]*(?:\n[^\n`]+)*\n\n```(?:jsonl|csv)\n([\s\S]*?)```/g)].map((match) => ({ name: match[1] ?? "", text: match[2] ?? "" }));
}

test("the README's batch examples run as printed against --backend mock", { timeout: 60_000 }, async () => {
  const section = batchSection();
  const files = exampleFiles(section);
  assert.deepEqual(files.map((file) => file.name), ["icons.jsonl", "shots.csv"]);
  const commands = [...section.matchAll(/^node scripts\/codex-imagen\.mjs (batch .+)$/gm)].map((match) => (match[1] ?? "").split(" "));
  assert.equal(commands.length, 2);
  const home = makeTempHome();
  for (const file of files) writeFileSync(join(home.home, file.name), file.text);
  for (const args of commands) {
    const run = await runCli(args, { home });
    assert.equal(run.code, 0, `${args.join(" ")}: ${run.stderr}`);
    assert.ok(run.lines().length > 0 && run.lines().every((path) => existsSync(path)), run.stdout);
  }
  const icons = join(home.home, "icons-images");
  for (const name of ["lighthouse.png", "boat.png", "boat-2.png", "storm.png", "manifest.jsonl", "index.html"]) assert.ok(existsSync(join(icons, name)), name);
  const shots = manifestLines(join(home.home, "shots-images")).map((record) => `${record.id} ${record.status}`);
  assert.deepEqual(shots.sort(), ["lighthouse-3d done", "pair done"]);
});

test("the README's generateBatch example runs as written against the built package", () => {
  const code = /### From code\n\n```js\n([\s\S]*?)```/.exec(batchSection())?.[1];
  assert.ok(code, "a js example under ### From code");
  const home = makeTempHome();
  const project = join(home.home, "project");
  mkdirSync(join(project, "node_modules"), { recursive: true });
  symlinkSync(ROOT, join(project, "node_modules", "codex-imagen"), "dir");
  writeFileSync(join(project, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(join(project, "example.mjs"), code);
  const run = spawnSync(process.execPath, ["example.mjs"], { cwd: project, env: cleanEnv(home), encoding: "utf8", timeout: 30_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^lighthouse done$/m);
  assert.match(run.stdout, /total: 2, done: 2, failed: 0/);
  assert.ok(existsSync(join(project, "icons-images", "index.html")));
});
