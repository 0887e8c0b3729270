#!/usr/bin/env node
// npm run test:stress [-- --runs N --hogs N --node PATH]: the test suites of `npm test` N times in a row
// while busy loops compete for the CPU, to catch tests that pass only on an idle machine.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, openSync, closeSync, readFileSync, existsSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const REPORTER = pathToFileURL(join(ROOT, "tools", "failed-tests-reporter.mjs")).href;
// The test parts of the README's test command (`npm test`): its `npm run test:*` steps that run tools/run-tests.mjs, in order.
const SCRIPTS = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts;
const SUITES = [...SCRIPTS.test.matchAll(/npm run test:([\w-]+)/g)]
  .map(([, name]) => [name, /tools\/run-tests\.mjs (.+)$/.exec(SCRIPTS[`test:${name}`] ?? "")?.[1].split(" ")])
  .filter(([, dirs]) => dirs !== undefined);
// A busy loop that ends itself once the stress run is gone, even if that was killed with -9.
const HOG = "const p = Number(process.argv[1]); for (;;) { for (let i = 0; i < 5e7; i++); try { process.kill(p, 0); } catch { process.exit(); } }";

function count(name, text) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < (name === "hogs" ? 0 : 1)) {
    console.error(`--${name} needs a whole number${name === "hogs" ? "" : " of at least 1"}, got ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return n;
}

function versionOf(node) {
  try {
    return execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
  } catch (error) {
    console.error(`--node ${node} does not run: ${error.message.split("\n")[0]}`);
    process.exit(2);
  }
}

function options() {
  try {
    return parseArgs({
      options: { runs: { type: "string", default: "5" }, hogs: { type: "string", default: "2" }, node: { type: "string", default: process.execPath } },
    }).values;
  } catch (error) {
    console.error(`${error.message}\nusage: npm run test:stress [-- --runs N (default 5) --hogs N (default 2) --node PATH]`);
    process.exit(2);
  }
}

const values = options();
const runs = count("runs", values.runs);
const hogCount = count("hogs", values.hogs);
const nodeVersion = versionOf(values.node);
const logDir = mkdtempSync(join(tmpdir(), "codex-imagen-stress-"));

const hogs = Array.from({ length: hogCount }, () => spawn(process.execPath, ["-e", HOG, String(process.pid)], { stdio: "ignore" }));
let current; // the running suite's process group
function stopAll() {
  for (const hog of hogs) hog.kill("SIGKILL");
  if (current?.exitCode === null) {
    try {
      process.kill(-current.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
process.on("exit", stopAll);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    console.log(`\n${signal}: stopped; logs in ${logDir}`);
    process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
  });
}

/** One suite, its spec output to `log`, the names of its failed tests to `failures`. */
function runSuite(dirs, log, failures) {
  const out = openSync(log, "w");
  const args = [join(ROOT, "tools", "run-tests.mjs"), ...dirs, "--", "--test-reporter=spec", "--test-reporter-destination=stdout", `--test-reporter=${REPORTER}`, `--test-reporter-destination=${failures}`];
  // Its own process group, so a stop also reaches the test files node runs in their own processes.
  current = spawn(values.node, args, { cwd: ROOT, stdio: ["ignore", out, out], detached: true });
  return new Promise((resolve) => {
    current.on("close", (code, signal) => {
      closeSync(out);
      const names = existsSync(failures) ? readFileSync(failures, "utf8").split("\n").filter(Boolean) : [];
      if (code !== 0 && names.length === 0) names.push(`${dirs.join(" ")}: exit ${code ?? signal} with no failed test named (see ${log})`);
      resolve(names);
    });
  });
}

const seconds = (ms) => `${(ms / 1000).toFixed(0)} s`;
console.log(`stress: ${runs} runs of ${SUITES.map(([name]) => name).join(" + ")} on Node ${nodeVersion}, ${hogCount} busy loops on ${availableParallelism()} cores; logs in ${logDir}`);
const tally = new Map();
let failedRuns = 0;
const started = Date.now();
for (let run = 1; run <= runs; run++) {
  const runStarted = Date.now();
  const parts = [];
  const failed = [];
  for (const [name, dirs] of SUITES) {
    const suiteStarted = Date.now();
    failed.push(...(await runSuite(dirs, join(logDir, `run${run}-${name}.log`), join(logDir, `run${run}-${name}.failed`))));
    parts.push(`${name} ${seconds(Date.now() - suiteStarted)}`);
  }
  if (failed.length > 0) failedRuns++;
  console.log(`run ${run}/${runs}: ${failed.length === 0 ? "pass" : "FAIL"} in ${seconds(Date.now() - runStarted)} (${parts.join(", ")})`);
  for (const name of failed) {
    console.log(`  failed: ${name}`);
    tally.set(name, (tally.get(name) ?? 0) + 1);
  }
}
const failing = [...tally].map(([name, n]) => (n > 1 ? `${name} (${n}x)` : name));
console.log(`runs: ${runs}, failed runs: ${failedRuns}, failing tests: ${failing.length === 0 ? "none" : failing.join("; ")} (total ${seconds(Date.now() - started)})`);
process.exit(failedRuns === 0 ? 0 : 1);
