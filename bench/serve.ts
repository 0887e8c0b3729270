/**
 * `npm run bench:serve`: what `codex-imagen serve` costs over the library, and its memory. Every figure is
 * measured in this run against a baseline from the same run, and printed with its target.
 * - overhead: `images.generate` (official SDK) through serve vs `generateImages()` directly, 500 ms backend latency;
 * - memory: 4 concurrent n=4 requests of 3840x2160 images: the serve process's peak RSS;
 * - leak: RSS after 500 sequential requests vs after the first 50 (and after 1500, to tell warm-up from a leak).
 * Options: --runs N (overhead samples per side, default 40), --only overhead|memory|leak.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import OpenAI from "openai";
import { generateImages } from "../dist/index.js";
import { startFakeBackend } from "../test/support/fake-backend.js";
import { makeTempDir, makeTempHome } from "../test/support/run-cli.js";
import { startServe, type ServeProcess } from "../test/support/serve-fixture.js";
import { makeJwt, writeCodexAuth } from "../test/support/tokens.js";
import { noisyPng } from "./images.js";
import { sseBody, startBenchServer } from "./server.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "40" }, only: { type: "string" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 5) throw new Error("--runs must be an integer of at least 5");
const wanted = (name: string): boolean => values.only === undefined || values.only === name;

const BACKEND_LATENCY_MS = 500;
const TARGET_OVERHEAD_P50_MS = 15;
const TARGET_PEAK_RSS_MB = 200;
const TARGET_LEAK_RATIO = 1.2;
/** Past the 500, to tell warm-up (V8 heap sizing, JIT) from a leak: a leak keeps growing. */
const LEAK_PLATEAU_REQUESTS = 1500;

const accountId = "acct-bench";
const home = makeTempHome();
const authFile = writeCodexAuth(home.codexHome, { access: makeJwt({ expSeconds: 3600, accountId }), refresh: "rt_bench_unused", accountId });
const check = (ok: boolean): string => (ok ? "ok" : "MISSED");
const lines: string[] = [];
const targets: string[] = [];

/** A field of /proc/<pid>/status in MB (Linux): VmRSS now, VmHWM the peak. */
function procMb(pid: number | undefined, field: "VmRSS" | "VmHWM"): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  assert.ok(match, `no ${field} for ${pid}`);
  return Number(match[1]) / 1024;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function timed(call: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await call();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function withServe<T>(args: string[], use: (server: ServeProcess, client: OpenAI) => Promise<T>): Promise<T> {
  const server = await startServe(["--auth", authFile, ...args], { home });
  try {
    return await use(server, new OpenAI({ baseURL: server.url, apiKey: "bench", maxRetries: 0, timeout: 600_000 }));
  } finally {
    await server.stop();
  }
}

async function overhead(): Promise<void> {
  const backend = await startFakeBackend({ oauth: { accountId }, latencyMs: BACKEND_LATENCY_MS, width: 1024, height: 1024 });
  const outputDir = makeTempDir("codex-imagen-bench-library-");
  const direct = { prompt: "bench", baseUrl: backend.baseUrl, authFile, outputDir, env: {}, homeDir: home.home };
  try {
    await withServe(["--base-url", backend.baseUrl], async (_server, client) => {
      const viaServe: number[] = [];
      const viaLibrary: number[] = [];
      for (let i = 0; i < runs + 3; i += 1) {
        // Interleaved, so drift in the machine's load hits both alike; the first three of each warm up.
        const serve = await timed(async () => {
          const answer = await client.images.generate({ prompt: "bench" });
          assert.ok(Buffer.from(answer.data?.[0]?.b64_json ?? "", "base64").equals(backend.defaultImage));
        });
        const library = await timed(() => generateImages(direct));
        if (i >= 3) {
          viaServe.push(serve);
          viaLibrary.push(library);
        }
      }
      const p50 = percentile(viaServe, 50) - percentile(viaLibrary, 50);
      const p95 = percentile(viaServe, 95) - percentile(viaLibrary, 95);
      lines.push(
        `overhead (${runs} requests each, 1024x1024 placeholder PNG of ${(backend.defaultImage.length / 1024).toFixed(0)} KB, backend latency ${BACKEND_LATENCY_MS} ms):`,
        `  library generateImages()   p50 ${percentile(viaLibrary, 50).toFixed(1)} ms   p95 ${percentile(viaLibrary, 95).toFixed(1)} ms`,
        `  SDK through serve          p50 ${percentile(viaServe, 50).toFixed(1)} ms   p95 ${percentile(viaServe, 95).toFixed(1)} ms`,
        `  overhead                   p50 +${p50.toFixed(1)} ms (${(percentile(viaServe, 50) / percentile(viaLibrary, 50)).toFixed(3)}x)   p95 +${p95.toFixed(1)} ms`,
      );
      targets.push(`overhead p50 +${p50.toFixed(1)} ms <= ${TARGET_OVERHEAD_P50_MS} ms: ${check(p50 <= TARGET_OVERHEAD_P50_MS)}`);
    });
  } finally {
    await backend.close();
  }
}

/** Reads an answer to the end without keeping it, checking only that it is one JSON object; returns its size. */
async function drain(response: Response): Promise<number> {
  assert.equal(response.status, 200);
  let bytes = 0;
  let first = "";
  let last = "";
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    if (bytes === 0) first = Buffer.from(chunk).toString("utf8", 0, 12);
    last = Buffer.from(chunk).toString("utf8").slice(-2);
    bytes += chunk.byteLength;
  }
  assert.equal(first, '{"created":1'.slice(0, 12));
  assert.equal(last, "]}");
  return bytes;
}

async function memory(): Promise<void> {
  const image = noisyPng(3840, 2160, 16, 1);
  const server = await startBenchServer();
  server.serve(sseBody({ final: image, partial: image, partials: 0, repeatInCompleted: true }), 64 * 1024);
  try {
    await withServe(["--base-url", server.baseUrl], async (serve) => {
      const baseline = procMb(serve.child.pid, "VmRSS");
      const request = (): Promise<number> =>
        fetch(`${serve.url}/images/generations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ prompt: "4k", n: 4, size: "3840x2160" }) }).then(drain);
      const sizes = await Promise.all([request(), request(), request(), request()]);
      const peak = procMb(serve.child.pid, "VmHWM");
      lines.push(
        `memory (4 concurrent n=4 requests, 3840x2160 PNG of ${(image.length / 1024 / 1024).toFixed(1)} MB, answers of ${((sizes[0] ?? 0) / 1024 / 1024).toFixed(0)} MB JSON each):`,
        `  serve RSS at start ${baseline.toFixed(0)} MB, peak ${peak.toFixed(0)} MB (${(peak / baseline).toFixed(2)}x start)`,
      );
      targets.push(`peak RSS ${peak.toFixed(0)} MB <= ${TARGET_PEAK_RSS_MB} MB: ${check(peak <= TARGET_PEAK_RSS_MB)}`);
    });
  } finally {
    await server.close();
  }
}

async function leak(): Promise<void> {
  const backend = await startFakeBackend({ oauth: { accountId } });
  try {
    await withServe(["--base-url", backend.baseUrl], async (serve, client) => {
      const rss = new Map<number, number>();
      for (let i = 1; i <= LEAK_PLATEAU_REQUESTS; i += 1) {
        await client.images.generate({ prompt: `request ${i}` });
        if (i === 50 || i === 500 || i === LEAK_PLATEAU_REQUESTS) rss.set(i, procMb(serve.child.pid, "VmRSS"));
      }
      const [after50, after500, later] = [rss.get(50) ?? NaN, rss.get(500) ?? NaN, rss.get(LEAK_PLATEAU_REQUESTS) ?? NaN];
      lines.push(
        `leak (sequential requests): RSS after 50 ${after50.toFixed(0)} MB, after 500 ${after500.toFixed(0)} MB (${(after500 / after50).toFixed(2)}x), after ${LEAK_PLATEAU_REQUESTS} ${later.toFixed(0)} MB (${(later / after500).toFixed(2)}x the 500 figure)`,
      );
      targets.push(`RSS after 500 / after 50 = ${(after500 / after50).toFixed(2)} <= ${TARGET_LEAK_RATIO}: ${check(after500 / after50 <= TARGET_LEAK_RATIO)}`);
    });
  } finally {
    await backend.close();
  }
}

const header = `Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]?.toFixed(1)}; serve = scripts/codex-imagen.mjs serve, library = dist/index.js`;
if (wanted("overhead")) await overhead();
if (wanted("memory")) await memory();
if (wanted("leak")) await leak();
console.log([header, "", ...lines, "", "targets:", ...targets.map((t) => `  ${t}`)].join("\n"));
