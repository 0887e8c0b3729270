/** Runs the built bundle as a user would, in a clean environment with a throwaway HOME. */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { GenerateResult } from "../../src/result.js";

export const BUNDLE = fileURLToPath(new URL("../../scripts/codex-imagen.mjs", import.meta.url));

export interface TempHome {
  home: string;
  /** Empty dir passed as `CODEX_HOME` by default. */
  codexHome: string;
  /** Empty dir passed as `OPENCLAW_STATE_DIR` by default. */
  openclawState: string;
}

export interface RunOptions {
  /** Overrides; `undefined` removes a variable (e.g. the default `OPENCLAW_STATE_DIR`). */
  env?: Record<string, string | undefined>;
  stdin?: string;
  cwd?: string;
  /** Kill the process after this long (default 60 s: a run that takes 0.3 s idle takes over 10 s on a starved machine). */
  timeoutMs?: number;
  /** Called once the process is spawned (e.g. to send it a signal later). */
  onSpawn?: (child: ChildProcess) => void;
  /** HOME to use (a TempHome or a plain dir); a fresh one is made when omitted. */
  home?: TempHome | string;
}

export interface CliRun {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
  home: TempHome;
  /** stdout parsed as the one `--json` document. */
  json(): GenerateResult;
  /** Non-empty stdout lines. */
  lines(): string[];
}

const tempDirs: string[] = [];
process.on("exit", () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp dir, removed when the test process exits. */
export function makeTempDir(prefix = "codex-imagen-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** A temp HOME with empty `codex-home` and `openclaw-state` dirs inside (or those dirs added to `home`). */
export function makeTempHome(home = makeTempDir("codex-imagen-home-")): TempHome {
  const codexHome = join(home, "codex-home");
  const openclawState = join(home, "openclaw-state");
  mkdirSync(codexHome, { recursive: true });
  mkdirSync(openclawState, { recursive: true });
  return { home, codexHome, openclawState };
}

const STRIPPED = /^(CODEX_|OPENCLAW_)|^(PI_CODING_AGENT_DIR|HTTPS?_PROXY|NO_PROXY|ALL_PROXY|NODE_OPTIONS)$/i;

export function cleanEnv(home: TempHome, overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!STRIPPED.test(key)) env[key] = value;
  Object.assign(env, { HOME: home.home, USERPROFILE: home.home, CODEX_HOME: home.codexHome, OPENCLAW_STATE_DIR: home.openclawState });
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function runCli(args: string[], options: RunOptions = {}): Promise<CliRun> {
  const home = typeof options.home === "string" ? makeTempHome(options.home) : (options.home ?? makeTempHome());
  const started = Date.now();
  const child = spawn(process.execPath, [BUNDLE, ...args], {
    cwd: options.cwd ?? home.home,
    env: cleanEnv(home, options.env),
    stdio: ["pipe", "pipe", "pipe"],
  });
  options.onSpawn?.(child);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  child.stdin.on("error", () => undefined); // the CLI may exit without reading stdin
  child.stdin.end(options.stdin ?? "");
  const killer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      const out = Buffer.concat(stdout).toString("utf8");
      resolve({
        code,
        signal,
        stdout: out,
        stderr: Buffer.concat(stderr).toString("utf8"),
        elapsedMs: Date.now() - started,
        home,
        json: () => JSON.parse(out) as GenerateResult,
        lines: () => out.split(/\r?\n/).filter((line) => line.length > 0),
      });
    });
  });
}
