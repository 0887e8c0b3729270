/**
 * `--count 4` against `--count 1` when every request takes 1 s on the backend: parallel requests
 * should cost about one request's time. Prints medians and the ratio measured in this run.
 * Usage: node --import tsx bench/count.ts [--runs N]
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startFakeBackend } from "../test/support/fake-backend.js";
import { cleanEnv, makeTempDir, makeTempHome } from "../test/support/run-cli.js";
import { makeJwt, writeCodexAuth } from "../test/support/tokens.js";
import { measureNode, median } from "./measure.js";

const BACKEND_DELAY_MS = 1000;
const TARGET_RATIO = 1.2;
const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a positive integer");
const cli = fileURLToPath(new URL("../scripts/codex-imagen.mjs", import.meta.url));

const backend = await startFakeBackend({ width: 256, height: 256 });
const home = makeTempHome();
const accountId = "acct-bench";
const authFile = writeCodexAuth(home.codexHome, { access: makeJwt({ expSeconds: 3600, accountId }), refresh: "rt_bench_unused", accountId });

async function wallMs(count: number): Promise<number> {
  for (let i = 0; i < count; i += 1) backend.enqueue({ kind: "images", startDelayMs: BACKEND_DELAY_MS });
  const args = [cli, "--quiet", "--base-url", backend.baseUrl, "--auth", authFile, "--out-dir", makeTempDir(), "--count", String(count), "bench"];
  return (await measureNode(args, cleanEnv(home))).wallMs;
}

const one: number[] = [];
const four: number[] = [];
for (let run = 0; run < runs; run += 1) {
  one.push(await wallMs(1));
  four.push(await wallMs(4));
}
await backend.close();
const ratio = median(four) / median(one);
console.log("| workload | median wall |\n| --- | --- |");
console.log(`| --count 1, ${BACKEND_DELAY_MS} ms per request | ${median(one).toFixed(0)} ms |`);
console.log(`| --count 4, ${BACKEND_DELAY_MS} ms per request | ${median(four).toFixed(0)} ms |`);
console.log(`\n--count 4 / --count 1 = ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO}): ${ratio <= TARGET_RATIO ? "ok" : "MISSED"}`);
