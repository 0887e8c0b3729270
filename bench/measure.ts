/** Runs one Node process with the rusage hook and reports its wall time, CPU time and peak RSS. */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface Sample {
  wallMs: number;
  /** User + system CPU time of the process. */
  cpuMs: number;
  maxRssMb: number;
}

const HOOK = pathToFileURL(fileURLToPath(new URL("./rusage-hook.mjs", import.meta.url))).href;

interface Usage {
  userUs: number;
  systemUs: number;
  maxRssKb: number;
}

/** Runs `node --import <hook> ...args`; rejects, with its stderr, when it exits with another code than `expectedCode`. */
export async function measureNode(args: string[], env: NodeJS.ProcessEnv, expectedCode = 0): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), "codex-imagen-bench-usage-"));
  const usageFile = join(dir, "usage.json");
  try {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ["--import", HOOK, ...args], {
      env: { ...env, CODEX_IMAGEN_BENCH_RUSAGE: usageFile },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const stderr: Buffer[] = [];
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", (exitCode) => resolve(exitCode));
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (code !== expectedCode) throw new Error(`node ${args.join(" ")} exited with ${String(code)}:\n${Buffer.concat(stderr).toString("utf8")}`);
    const usage = JSON.parse(readFileSync(usageFile, "utf8")) as Usage;
    return { wallMs, cpuMs: (usage.userUs + usage.systemUs) / 1000, maxRssMb: usage.maxRssKb / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

export function medianSample(samples: Sample[]): Sample {
  return {
    wallMs: median(samples.map((s) => s.wallMs)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    maxRssMb: median(samples.map((s) => s.maxRssMb)),
  };
}
