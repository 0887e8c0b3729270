/**
 * `npm run bench:start`: cold start of `--help`, `--version` and `--smoke` against `node -e 0`, on
 * this Node and on every other Node given with `--node PATH` (default: the Node 22 and 24 that
 * `.ci/run` installs, when present). Plain wall time of whole processes, interleaved so drift hits
 * all alike; medians and ratios from this one run. Options: --runs N (default 31), --cli PATH.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus, homedir, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { cleanEnv, makeTempHome } from "../test/support/run-cli.js";
import { makeJwt, writeCodexAuth } from "../test/support/tokens.js";
import { median } from "./measure.js";

const TARGET_RATIO = 1.3;

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "31" },
    cli: { type: "string", default: fileURLToPath(new URL("../scripts/codex-imagen.mjs", import.meta.url)) },
    node: { type: "string", multiple: true },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 3) throw new Error("--runs must be an integer of at least 3");

/** The Node binaries `.ci/run` installs from npm's node-<platform> packages. */
function ciNodes(): string[] {
  const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "codex-imagen-ci");
  const platformPackage = `node-${process.platform}-${process.arch}`;
  return ["node22", "node24"].map((dir) => join(cache, dir, "node_modules", platformPackage, "bin", "node")).filter((path) => existsSync(path));
}

const home = makeTempHome();
const env = cleanEnv(home);
const authFile = writeCodexAuth(home.codexHome, { access: makeJwt({ expSeconds: 3600, accountId: "acct-bench" }), refresh: "rt_bench_unused", accountId: "acct-bench" });

const COMMANDS: Array<[string, string[]]> = [
  ["node -e 0", ["-e", "0"]],
  ["--help", [values.cli, "--help"]],
  ["--version", [values.cli, "--version"]],
  ["--smoke", [values.cli, "--smoke", "--auth", authFile]],
];

function wallMs(node: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(node, args, { env, stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error(`${node} ${args.join(" ")} exited with ${code}`))));
  });
}

async function measure(node: string): Promise<number[]> {
  const samples = COMMANDS.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    for (const [index, [, args]] of COMMANDS.entries()) samples[index]?.push(await wallMs(node, args));
  }
  return samples.map(median);
}

function version(node: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, ["--version"], { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("exit", () => resolve(out.trim()));
  });
}

const nodes = [process.execPath, ...(values.node ?? ciNodes())];
const header = ["Node", ...COMMANDS.map(([name]) => name)];
const rows: string[][] = [];
const targets: string[] = [];
for (const node of nodes) {
  const name = await version(node);
  console.error(`measuring ${name}…`);
  const [base = NaN, ...medians] = await measure(node);
  rows.push([name, `${base.toFixed(0)} ms`, ...medians.map((ms) => `${ms.toFixed(0)} ms (${(ms / base).toFixed(2)}x)`)]);
  if (node === process.execPath) {
    for (const [index, ms] of medians.entries()) {
      const ratio = ms / base;
      targets.push(`${COMMANDS[index + 1]?.[0]} on ${name}: ${ratio.toFixed(2)}x node -e 0 <= ${TARGET_RATIO}x: ${ratio <= TARGET_RATIO ? "ok" : "MISSED"}`);
    }
  }
}
const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]?.length ?? 0)));
const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ");
console.log(
  [
    `cold start: ${runs} interleaved runs each, median wall time; ${cpus().length} CPUs, load average ${loadavg()[0]?.toFixed(1)}`,
    "",
    line(header),
    ...rows.map(line),
    "",
    "targets:",
    ...targets.map((target) => `  ${target}`),
  ].join("\n"),
);
