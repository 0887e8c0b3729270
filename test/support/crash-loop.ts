/** Helpers for kill -9 trials: a seeded random source, a small pool, and a kill at a random point of a write. */
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";

/** mulberry32: reproducible trials; a failing seed can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `trial(0..count-1)` with at most `width` at once. */
export async function pool(count: number, width: number, trial: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await trial(next++);
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
}

/** `onSpawn` hook: SIGKILL the child `delayMs` after `mark` appears (a fault hook creates it when the write starts). */
export function killAfterMark(mark: string, delayMs: number): (child: ChildProcess) => void {
  return (child) => {
    const poll = setInterval(() => {
      if (!existsSync(mark)) return;
      clearInterval(poll);
      setTimeout(() => child.kill("SIGKILL"), delayMs);
    }, 2);
    child.on("exit", () => clearInterval(poll));
  };
}
