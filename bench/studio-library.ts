/**
 * `npm run bench:studio-library`: the studio's library with 10,000 runs. Each cold figure is a fresh Node
 * process (its code already loaded, as in a started studio) that opens the library and lists the first page, or
 * a search; warm figures and appends are medians inside one process. Prints each figure with its target.
 * Usage: node --import tsx bench/studio-library.ts [--runs N] [--count N]
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { StudioLibrary, type RunRecord } from "../src/studio/library/index.js";
import { makeTempDir } from "../test/support/run-cli.js";
import { median, measureNode, type Sample } from "./measure.js";
import { writeSyntheticLibrary } from "./synthetic-library.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    count: { type: "string", default: "10000" },
    child: { type: "string" },
    mode: { type: "string" },
    out: { type: "string" },
  },
});

const SEARCH = "harbour lantern";
const since = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;

async function child(dir: string, mode: string, out: string): Promise<void> {
  if (mode === "load") return writeFileSync(out, "{}");
  const cpu = process.cpuUsage();
  let started = process.hrtime.bigint();
  const library = await StudioLibrary.open(dir);
  const page = mode === "search" ? await library.list({ query: SEARCH }) : await library.list({ limit: 50 });
  const coldMs = since(started);
  const { user, system } = process.cpuUsage(cpu);
  const result: Record<string, number> = { coldMs, coldCpuMs: (user + system) / 1000, total: page.total };
  if (mode === "warm") {
    const warm: number[] = [];
    const search: number[] = [];
    const append: number[] = [];
    for (let i = 0; i < 15; i++) {
      started = process.hrtime.bigint();
      await library.list({ limit: 50 });
      warm.push(since(started));
      started = process.hrtime.bigint();
      await library.list({ query: SEARCH });
      search.push(since(started));
      const run = { ...(page.runs[i % page.runs.length] as RunRecord), id: library.newRunId(), time: new Date().toISOString() };
      started = process.hrtime.bigint();
      await library.appendRun(run);
      append.push(since(started));
    }
    Object.assign(result, { warmMs: median(warm), searchMs: median(search), appendMs: median(append) });
  }
  writeFileSync(out, JSON.stringify(result));
}

async function main(): Promise<void> {
  const runs = Number(values.runs);
  const count = Number(values.count);
  const dir = join(makeTempDir("codex-imagen-bench-studio-"), "studio");
  writeSyntheticLibrary(dir, count);
  const log = join(dir, "library.jsonl");
  console.log(`library: ${count.toLocaleString("en-US")} runs, library.jsonl ${(statSync(log).size / 1024 / 1024).toFixed(1)} MB (${createHash("sha256").update(readFileSync(log)).digest("hex").slice(0, 8)})`);

  const script = fileURLToPath(import.meta.url);
  const out = join(makeTempDir("codex-imagen-bench-studio-out-"), "result.json");
  type Child = { sample: Sample; result: Record<string, number> };
  const inChild = async (mode: string): Promise<Child> => {
    const sample = await measureNode(["--import", "tsx", script, "--child", dir, "--mode", mode, "--out", out], process.env);
    return { sample, result: JSON.parse(readFileSync(out, "utf8")) as Record<string, number> };
  };
  const loaded = await inChild("load");
  const pages: Child[] = [];
  const searches: Child[] = [];
  // Interleaved, so drift in the machine's load hits both alike.
  for (let i = 0; i < runs; i++) {
    pages.push(await inChild("page"));
    searches.push(await inChild("search"));
  }
  const warm = await inChild("warm");
  const verdict = (value: number, target: number) => (value <= target ? "ok" : "MISSED");
  const figure = (samples: Child[], key: string) => median(samples.map((run) => run.result[key] ?? NaN));
  const cold = figure(pages, "coldMs");
  const coldSearch = figure(searches, "coldMs");
  const rss = median(pages.map((run) => run.sample.maxRssMb));
  console.log(`cold open + first page of 50 (${runs} processes, median): ${cold.toFixed(0)} ms, ${figure(pages, "coldCpuMs").toFixed(0)} ms CPU (target <= 1000): ${verdict(cold, 1000)}`);
  console.log(`cold open + search "${SEARCH}" (${searches[0]?.result.total} of ${pages[0]?.result.total} runs match): ${coldSearch.toFixed(0)} ms, ${figure(searches, "coldCpuMs").toFixed(0)} ms CPU (target <= 1000): ${verdict(coldSearch, 1000)}`);
  console.log(`warm first page (median of 15): ${warm.result.warmMs?.toFixed(2)} ms`);
  console.log(`warm search (median of 15): ${warm.result.searchMs?.toFixed(2)} ms`);
  console.log(`appendRun, one line written and synced to disk (median of 15): ${warm.result.appendMs?.toFixed(2)} ms`);
  console.log(`peak RSS of a cold open + first page: ${rss.toFixed(0)} MB (the process with the code loaded and nothing opened: ${loaded.sample.maxRssMb.toFixed(0)} MB)`);
}

if (values.child !== undefined) await child(values.child, values.mode ?? "page", values.out ?? "");
else await main();
