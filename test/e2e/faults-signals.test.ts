/** SIGINT / SIGTERM at the worst moments: exit 130 / 143, no temp file, no half-written image, no lock left behind. */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import type { ChildProcess } from "node:child_process";
import { listDir, setupCli } from "../support/cli-fixture.js";
import { fsFaultEnv, literal } from "../support/fs-faults.js";
import { noisyPng } from "../support/noisy-png.js";

const SIGNALS = [["SIGINT", 130], ["SIGTERM", 143]] as const;

/** Sends `signal` once `ready()` holds (polled every 10 ms). */
function signalWhen(ready: () => boolean, signal: NodeJS.Signals): (child: ChildProcess) => void {
  return (child) => {
    const poll = setInterval(() => {
      if (!ready()) return;
      clearInterval(poll);
      child.kill(signal);
    }, 10);
    child.on("exit", () => clearInterval(poll));
  };
}

describe("faults: interrupted runs", { concurrency: 6 }, () => {
  for (const [signal, code] of SIGNALS) {
    test(`${signal} while a large image is half written: exit ${code}, no temp file, any image complete`, async (t) => {
      const f = await setupCli(t);
      const big = noisyPng(512);
      f.backend.enqueue({ kind: "images", images: [{ data: big }] });
      const mark = join(f.home.home, "write-started");
      const run = await f.run(["--json", "--debug", "--out-dir", f.outDir, "x"], {
        env: fsFaultEnv({ slowWrite: new RegExp(`^${literal(f.outDir)}/\\.codex-imagen-.*\\.tmp$`), slowMs: 1500, mark }),
        onSpawn: signalWhen(() => existsSync(mark), signal),
      });
      assert.ok(existsSync(mark), "the signal came during the write");
      assert.equal(run.code, code, run.stderr);
      const left = listDir(f.outDir);
      assert.deepEqual(left.filter((name) => name.endsWith(".tmp")), [], "no temp file");
      for (const name of left) assert.deepEqual(readFileSync(join(f.outDir, name)), big, `${name} is complete`);
    });

    test(`${signal} during a token refresh: exit ${code}, the refresh lock is released, auth.json untouched`, async (t) => {
      const f = await setupCli(t, { expiresIn: -60 });
      const before = readFileSync(f.authFile, "utf8");
      f.backend.oauth.failNext("stall");
      const run = await f.run(["--json", "--out-dir", f.outDir, "x"], { onSpawn: signalWhen(() => f.backend.oauth.calls.length > 0, signal) });
      assert.equal(run.code, code, run.stderr);
      assert.equal(readFileSync(f.authFile, "utf8"), before);
      assert.deepEqual(readdirSync(dirname(f.authFile)), ["auth.json"], "no lock or temp file left");
      assert.equal(f.backend.generations.length, 0);
    });

    test(`${signal} during a stalled stream with --json: exit ${code}, one JSON document, nothing saved`, async (t) => {
      const f = await setupCli(t);
      f.backend.enqueue({ kind: "stall" });
      const run = await f.run(["--json", "--out-dir", f.outDir, "x"], { onSpawn: signalWhen(() => f.backend.generations.length > 0, signal) });
      assert.equal(run.code, code, run.stderr);
      const result = run.json() as { error?: { message: string }; images: unknown[] };
      assert.match(result.error?.message ?? "", new RegExp(`Interrupted by ${signal}`));
      assert.deepEqual(result.images, []);
      assert.deepEqual(listDir(f.outDir), []);
    });
  }
});
