/** Runs the real Codex CLI / OpenClaw with a throwaway HOME, CODEX_HOME and OPENCLAW_STATE_DIR, and no way out but the trap proxy. */
import { spawn, type ChildProcess } from "node:child_process";
import { dirname } from "node:path";
import type { TempHome } from "../../support/run-cli.js";
import type { Clients } from "./clients.js";

export interface RealRun {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/**
 * A minimal environment: nothing from the developer's shell that could point a client at real
 * credentials or a real endpoint. Every proxy variable names the trap, which refuses all; local
 * addresses bypass it. NODE_USE_ENV_PROXY makes Node 24's fetch honour the proxy variables too.
 */
export function realClientEnv(home: TempHome, proxy: string, clients: Clients): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: `${dirname(clients.node24)}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    HOME: home.home,
    USERPROFILE: home.home,
    CODEX_HOME: home.codexHome,
    OPENCLAW_STATE_DIR: home.openclawState,
    LANG: "C.UTF-8",
    TERM: "dumb",
    NO_COLOR: "1",
    NODE_USE_ENV_PROXY: "1",
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
  };
  for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"]) {
    env[name] = proxy;
    env[name.toLowerCase()] = proxy;
  }
  if (process.env.TMPDIR !== undefined) env.TMPDIR = process.env.TMPDIR;
  return env;
}

export interface SpawnOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Kill after this long (default 120 s). */
  timeoutMs?: number;
}

/** Spawns `command args`, collects its output; `onSpawn` sees the child (stdin stays open). */
export function runReal(command: string, args: string[], options: SpawnOptions, onSpawn?: (child: ChildProcess) => void): Promise<RealRun> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["pipe", "pipe", "pipe"] });
  onSpawn?.(child);
  if (onSpawn === undefined) child.stdin.end();
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  const killer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") });
    });
  });
}

/** `codex <args>` through the npm launcher (which runs the native binary of the platform package). */
export function runCodex(clients: Clients, home: TempHome, proxy: string, args: string[]): Promise<RealRun> {
  return runReal(process.execPath, [clients.codexLauncher, ...args], { env: realClientEnv(home, proxy, clients), cwd: home.home, timeoutMs: 60_000 });
}

/** `openclaw <args>` on Node 24. */
export function runOpenClaw(clients: Clients, home: TempHome, proxy: string, args: string[]): Promise<RealRun> {
  return runReal(clients.node24, [clients.openclawEntry, ...args], { env: realClientEnv(home, proxy, clients), cwd: home.home, timeoutMs: 180_000 });
}

/** Output of a run for assertion messages (tokens never reach these: the stores hold fakes). */
export const describeRun = (run: RealRun) => `exit ${run.code ?? run.signal}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
