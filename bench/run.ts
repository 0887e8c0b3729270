/**
 * `npm run bench`: streams synthetic images from a local SSE server to the built CLI and to a
 * naive baseline client; prints medians and ratios measured in this run (cold start: bench/start.ts).
 * Options: --runs N (default 5), --cli PATH (default scripts/codex-imagen.mjs), --only TEXT.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { cleanEnv, makeTempDir, makeTempHome } from "../test/support/run-cli.js";
import { makeJwt, writeCodexAuth } from "../test/support/tokens.js";
import { noisyPng } from "./images.js";
import { measureNode, medianSample, type Sample } from "./measure.js";
import { sseBody, startBenchServer, type StreamSpec } from "./server.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    cli: { type: "string", default: fileURLToPath(new URL("../scripts/codex-imagen.mjs", import.meta.url)) },
    only: { type: "string" },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a positive integer");
const cli = values.cli;
const NAIVE = fileURLToPath(new URL("./naive-client.mjs", import.meta.url));

interface Workload {
  name: string;
  spec: () => StreamSpec;
  chunkSize: number;
  /** Extra flags for the CLI; the naive client takes `--save-partials` too. */
  flags?: string[];
  /** Targets from the performance issue, checked against the medians. */
  maxCpuMs?: number;
  maxRssMb?: number;
  wallAtMostBaseline?: boolean;
}

const memo = new Map<string, Buffer>();
const image = (key: string, make: () => Buffer): Buffer => memo.get(key) ?? memo.set(key, make()).get(key) as Buffer;
// ~12 MB final picture and ~8 MB partial frames: about what the backend sends for 3840x2160.
const final4k = () => image("final4k", () => noisyPng(3840, 2160, 16, 1));
const partial4k = () => image("partial4k", () => noisyPng(3840, 2160, 6, 2));
const final1k = () => image("final1k", () => noisyPng(1024, 1024, 16, 3));

const WORKLOADS: Workload[] = [
  {
    name: "3840x2160 + 3 partials, 16 KB chunks",
    spec: () => ({ final: final4k(), partial: partial4k(), partials: 3, repeatInCompleted: true }),
    chunkSize: 16 * 1024,
    flags: ["--partial-images", "3"],
    maxCpuMs: 600,
    maxRssMb: 130,
    wallAtMostBaseline: true,
  },
  {
    name: "same, partials saved (--save-partials)",
    spec: () => ({ final: final4k(), partial: partial4k(), partials: 3, repeatInCompleted: true }),
    chunkSize: 16 * 1024,
    flags: ["--partial-images", "3", "--save-partials"],
  },
  {
    name: "3840x2160, no partials, 16 KB chunks",
    spec: () => ({ final: final4k(), partial: partial4k(), partials: 0, repeatInCompleted: true }),
    chunkSize: 16 * 1024,
  },
  {
    name: "1024x1024, 16 KB chunks",
    spec: () => ({ final: final1k(), partial: final1k(), partials: 0, repeatInCompleted: true }),
    chunkSize: 16 * 1024,
    maxRssMb: 90,
  },
];

const home = makeTempHome();
const env = cleanEnv(home);
const authFile = writeCodexAuth(home.codexHome, { access: makeJwt({ expSeconds: 3600, accountId: "acct-bench" }), refresh: "rt_bench_unused", accountId: "acct-bench" });
const server = await startBenchServer();
const outDir = join(makeTempDir("codex-imagen-bench-out-"), "out");

/** The only file the run saved must be the final picture, byte for byte. */
function assertSaved(expected: Buffer): void {
  const files = readdirSync(outDir).filter((name) => !name.includes("partial"));
  assert.equal(files.length, 1, `expected one saved image, found: ${files.join(", ")}`);
  const saved = readFileSync(join(outDir, files[0] as string));
  assert.equal(createHash("sha256").update(saved).digest("hex"), createHash("sha256").update(expected).digest("hex"), "saved image differs");
}

async function once(args: string[], expected: Buffer): Promise<Sample> {
  rmSync(outDir, { recursive: true, force: true });
  const sample = await measureNode(args, env);
  assertSaved(expected);
  return sample;
}

const fmt = (n: number): string => n.toFixed(0);
const ratio = (ours: number, base: number): string => `${(ours / base).toFixed(2)}x`;
const check = (ok: boolean): string => (ok ? "ok" : "MISSED");
const row = (cells: string[]): string => cells.map((cell, i) => (i < 2 ? cell.padEnd(i === 0 ? 40 : 14) : cell.padStart(i < 5 ? 8 : 7))).join(" ");
const targets: string[] = [];

/** Each workload: the CLI and the naive client alternate, `runs` times each. */
async function streaming(): Promise<string[]> {
  const lines = [row(["workload", "client", "wall ms", "cpu ms", "RSS MB", "wall", "cpu", "RSS"])];
  for (const workload of WORKLOADS.filter((w) => values.only === undefined || w.name.includes(values.only))) {
    console.error(`measuring ${workload.name}…`);
    const spec = workload.spec();
    server.serve(sseBody(spec), workload.chunkSize);
    const common = ["--base-url", server.baseUrl, "--auth", authFile, "--out-dir", outDir];
    const flags = workload.flags ?? [];
    const ours: Sample[] = [];
    const naive: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      ours.push(await once([cli, ...common, ...flags, "--quiet", "a benchmark picture"], spec.final));
      naive.push(await once([NAIVE, ...common, ...flags.filter((flag) => flag === "--save-partials")], spec.final));
    }
    const o = medianSample(ours);
    const n = medianSample(naive);
    lines.push(row([workload.name, "codex-imagen", fmt(o.wallMs), fmt(o.cpuMs), fmt(o.maxRssMb), ratio(o.wallMs, n.wallMs), ratio(o.cpuMs, n.cpuMs), ratio(o.maxRssMb, n.maxRssMb)]));
    lines.push(row(["", "naive", fmt(n.wallMs), fmt(n.cpuMs), fmt(n.maxRssMb)]));
    if (workload.maxCpuMs !== undefined) targets.push(`${workload.name}: cpu ${fmt(o.cpuMs)} ms <= ${workload.maxCpuMs} ms: ${check(o.cpuMs <= workload.maxCpuMs)}`);
    if (workload.maxRssMb !== undefined) targets.push(`${workload.name}: max RSS ${fmt(o.maxRssMb)} MB <= ${workload.maxRssMb} MB: ${check(o.maxRssMb <= workload.maxRssMb)}`);
    if (workload.wallAtMostBaseline === true) targets.push(`${workload.name}: wall ${fmt(o.wallMs)} ms <= baseline ${fmt(n.wallMs)} ms: ${check(o.wallMs <= n.wallMs)}`);
  }
  return lines;
}

const header = `Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]?.toFixed(1)}; ${runs} runs each, medians; ratio = codex-imagen / naive baseline`;
try {
  const table = await streaming();
  console.log([header, "", ...table, "", "targets:", ...targets.map((t) => `  ${t}`)].join("\n"));
} finally {
  await server.close();
}
