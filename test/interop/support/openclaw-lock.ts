/** Drives openclaw-lock-holder.mjs: OpenClaw's own refresh-lock code, in its own process on Node 24. */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { TempHome } from "../../support/run-cli.js";
import type { Clients } from "./clients.js";
import { realClientEnv, runReal } from "./real-client.js";

const HOLDER = fileURLToPath(new URL("./openclaw-lock-holder.mjs", import.meta.url));

interface HolderEvent {
  event: string;
  at: number;
  path?: string;
  pid?: number;
  paths?: string[];
}

/** OpenClaw's `resolveOAuthRefreshLockPath` for each `[provider, profileId]` (the lock file is that plus `.lock`). */
export async function openClawLockPaths(clients: Clients, home: TempHome, proxy: string, keys: Array<[string, string]>): Promise<string[]> {
  const run = await runReal(clients.node24, [HOLDER, clients.openclawDist, "paths", JSON.stringify(keys)], { env: realClientEnv(home, proxy, clients), cwd: home.home });
  if (run.code !== 0) throw new Error(`lock holder failed: ${run.stderr}`);
  return (JSON.parse(run.stdout) as HolderEvent).paths ?? [];
}

export interface LockHolder {
  /** OpenClaw's lock path (without `.lock`) and the holder's pid, once its modules are loaded. */
  ready: Promise<HolderEvent>;
  /** Asks it to take the lock; resolves when OpenClaw's code holds it. */
  lock(): Promise<HolderEvent>;
  /** Whether OpenClaw's code holds the lock now. */
  readonly holding: boolean;
  /** Releases the lock; resolves once released and the process has exited. */
  release(): Promise<HolderEvent>;
  /** Ends the process whatever its state (cleanup). */
  kill(): void;
}

export function startLockHolder(clients: Clients, home: TempHome, proxy: string, provider: string, profileId: string): LockHolder {
  const child: ChildProcessWithoutNullStreams = spawn(clients.node24, [HOLDER, clients.openclawDist, "hold", provider, profileId], {
    cwd: home.home,
    env: realClientEnv(home, proxy, clients),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const waiters = new Map<string, (event: HolderEvent) => void>();
  const seen = new Map<string, HolderEvent>();
  let holding = false;
  createInterface({ input: child.stdout }).on("line", (line) => {
    const event = JSON.parse(line) as HolderEvent;
    if (event.event === "locked") holding = true;
    if (event.event === "released") holding = false;
    seen.set(event.event, event);
    waiters.get(event.event)?.(event);
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const waitFor = (name: string): Promise<HolderEvent> => {
    const already = seen.get(name);
    if (already !== undefined) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      waiters.set(name, resolve);
      void exited.then((code) => reject(new Error(`lock holder exited (${code}) before "${name}": ${stderr}`)));
    });
  };
  return {
    ready: waitFor("ready"),
    lock() {
      child.stdin.write("lock\n");
      return waitFor("locked");
    },
    get holding() {
      return holding;
    },
    async release() {
      child.stdin.write("release\n");
      const event = await waitFor("released");
      await exited;
      return event;
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}
