/**
 * `npm run bench:batch`: the batch's throughput against a fake backend that takes 1 s per image, how fast a
 * 10,000-line file is validated, the peak RSS of running all 10,000 jobs, and how soon a resumed batch sends.
 * Prints each figure with its target. Usage: node --import tsx bench/batch.ts [--skip-large]
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startFakeBackend, type FakeBackend } from "../test/support/fake-backend.js";
import { cleanEnv, makeTempDir, makeTempHome } from "../test/support/run-cli.js";
import { makeJwt, writeCodexAuth } from "../test/support/tokens.js";
import { measureNode } from "./measure.js";

const { values } = parseArgs({ options: { "skip-large": { type: "boolean", default: false } } });
const cli = fileURLToPath(new URL("../scripts/codex-imagen.mjs", import.meta.url));
const home = makeTempHome();
const accountId = "acct-bench";
const authFile = writeCodexAuth(home.codexHome, { access: makeJwt({ expSeconds: 7200, accountId }), refresh: "rt_bench_unused", accountId });
const env = cleanEnv(home);

function jobsFile(count: number, extra = ""): string {
  const file = join(makeTempDir("codex-imagen-bench-batch-"), "jobs.jsonl");
  const lines = Array.from({ length: count }, (_, index) => JSON.stringify({ prompt: `bench picture number ${index + 1}, watercolor`, id: `job-${index + 1}` }));
  writeFileSync(file, `${lines.join("\n")}\n${extra}`);
  return file;
}

function batchArgs(backend: FakeBackend, file: string, concurrency: number): string[] {
  return [cli, "batch", file, "--base-url", backend.baseUrl, "--auth", authFile, "--concurrency", String(concurrency), "--quiet"];
}

/** Wall time of one CLI run and, when `backend` is given, the time until its first generation request arrived. */
function timeRun(args: string[], backend?: FakeBackend): Promise<{ wallMs: number; firstRequestMs: number | undefined; code: number | null }> {
  const sentBefore = backend?.generations.length ?? 0;
  const started = Date.now();
  const child = spawn(process.execPath, args, { env, stdio: "ignore" });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      const first = backend?.generations[sentBefore]?.at;
      resolve({ wallMs: Date.now() - started, firstRequestMs: first === undefined ? undefined : first - started, code });
    });
  });
}

function verdict(value: number, target: number): string {
  return value <= target ? "ok" : "MISSED";
}

const rows: string[] = [];
const report = (line: string): void => {
  rows.push(line);
  console.log(line);
};

// Node's own start, the floor under every figure below.
const floor = await timeRun([cli, "--version"]);
report(`start of the CLI (--version): ${floor.wallMs} ms`);

{
  const JOBS = 100;
  const CONCURRENCY = 8;
  const LATENCY_MS = 1000;
  const backend = await startFakeBackend({ latencyMs: LATENCY_MS });
  const run = await timeRun(batchArgs(backend, jobsFile(JOBS), CONCURRENCY));
  await backend.close();
  if (run.code !== 0) throw new Error(`the ${JOBS}-job batch exited ${String(run.code)}`);
  const ideal = (JOBS / CONCURRENCY) * LATENCY_MS;
  const ratio = run.wallMs / ideal;
  report(`${JOBS} jobs, ${LATENCY_MS} ms each, --concurrency ${CONCURRENCY}: ${(run.wallMs / 1000).toFixed(2)} s = ${ratio.toFixed(3)} x ${JOBS}/${CONCURRENCY} s (target <= 1.15): ${verdict(ratio, 1.15)}`);
}

{
  const LINES = 10_000;
  // A bad last line: the run stops right after validating every line (exit 2), so its wall time is the validation's.
  const file = jobsFile(LINES, '{"prompt": "the last line", "qualty": "high"}\n');
  const backend = await startFakeBackend();
  const run = await measureNode(batchArgs(backend, file, 8), env, 2);
  await backend.close();
  report(`validate ${LINES.toLocaleString("en")} JSONL lines (whole CLI run to the verdict): ${run.wallMs.toFixed(0)} ms, ${run.cpuMs.toFixed(0)} ms CPU (target <= 1000): ${verdict(run.wallMs, 1000)}`);
}

if (!values["skip-large"]) {
  const JOBS = 10_000;
  const backend = await startFakeBackend();
  const file = jobsFile(JOBS);
  const sample = await measureNode(batchArgs(backend, file, 8), env).catch(async (error: unknown) => {
    await backend.close();
    throw error;
  });
  await backend.close();
  report(
    `run ${JOBS.toLocaleString("en")} jobs at --concurrency 8: peak RSS ${sample.maxRssMb.toFixed(0)} MB (target <= 150): ${verdict(sample.maxRssMb, 150)}; ${(sample.wallMs / 1000).toFixed(1)} s, ${((JOBS / sample.wallMs) * 1000).toFixed(0)} jobs/s`,
  );
}

{
  const JOBS = 1000;
  const NOT_DONE = 10;
  const backend = await startFakeBackend();
  const file = jobsFile(JOBS);
  const full = await timeRun(batchArgs(backend, file, 8));
  if (full.code !== 0) throw new Error(`the ${JOBS}-job batch exited ${String(full.code)}`);
  // Forget every 100th record: 990 jobs done, 10 to run.
  const manifest = join(file.replace(/\.jsonl$/, "-images"), "manifest.jsonl");
  const lines = readFileSync(manifest, "utf8").split("\n").filter((line) => line !== "");
  writeFileSync(manifest, lines.filter((_, index) => index % (JOBS / NOT_DONE) !== 0).map((line) => `${line}\n`).join(""));
  const resume = await timeRun(batchArgs(backend, file, 8), backend);
  await backend.close();
  if (resume.code !== 0 || resume.firstRequestMs === undefined) throw new Error(`the resumed batch exited ${String(resume.code)}`);
  report(`resume ${JOBS} jobs with ${JOBS - NOT_DONE} done: first request after ${resume.firstRequestMs} ms (target <= 1000): ${verdict(resume.firstRequestMs, 1000)}; whole resume ${resume.wallMs} ms`);
}
