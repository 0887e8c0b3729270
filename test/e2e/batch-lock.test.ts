/** One batch per out dir (spec §8): a second run is refused at once, a killed run's lock is taken over, the lock never outlives its run. */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { runBatch, writeJobs } from "../support/batch-fixture.js";
import { setupCli } from "../support/cli-fixture.js";
import { generateBatch, BatchBusyError, type GenerateBatchOptions } from "../../src/index.js";

const LOCK = ".codex-imagen-batch.lock";

/** An `onSpawn` hook and the child process it receives. */
function spawned(): { onSpawn: (child: ChildProcess) => void; child: Promise<ChildProcess> } {
  let onSpawn: (child: ChildProcess) => void = () => undefined;
  const child = new Promise<ChildProcess>((resolve) => (onSpawn = resolve));
  return { onSpawn, child };
}

const lastLine = (text: string): string => text.trimEnd().split("\n").at(-1) ?? "";

describe("batch: one run per out dir", { concurrency: 3 }, () => {
  test("a second run on the same out dir exits 2 at once naming the running one's pid and start time; SIGINT releases the lock and says how to resume", async (t) => {
    const f = await setupCli(t);
    const file = writeJobs(f.home.home, "held.jsonl", [{ prompt: "a picture that takes a while", id: "slow" }]);
    const outDir = join(f.home.home, "held-images");
    f.backend.enqueue({ kind: "stall" });
    const first = spawned();
    const running = runBatch(f, file, [], { onSpawn: first.onSpawn });
    const reached = await Promise.race([f.backend.untilGenerations(1).then(() => true), running.then(() => false)]);
    assert.ok(reached, "the first run's request reached the backend");
    const { pid } = await first.child;
    assert.ok(existsSync(join(outDir, LOCK)), "the running batch holds the lock");

    const second = await runBatch(f, file, ["--quality", "low"]);
    assert.equal(second.code, 2);
    assert.match(
      second.stderr,
      new RegExp(`error: Another batch \\(pid ${pid}, started .+ local time\\) is running in ${outDir.replace(/[\\.]/g, "\\$&")}; wait for it to finish, or give this one another --out-dir\\.$`, "m"),
    );
    assert.equal(f.backend.generations.length, 1, "the second run sent nothing");

    (await first.child).kill("SIGINT");
    const interrupted = await running;
    assert.equal(interrupted.code, 130, interrupted.stderr);
    assert.match(lastLine(interrupted.stderr), /^error: Interrupted by SIGINT; .*1 of 1 job is left; run the same command again to resume\.$/);
    assert.equal(existsSync(join(outDir, LOCK)), false, "SIGINT released the lock");

    const done = await runBatch(f, file);
    assert.equal(done.code, 0, done.stderr);
    assert.equal(existsSync(join(outDir, LOCK)), false, "a finished run leaves no lock");
  });

  test("a lock left by a run killed with kill -9 is taken over with a warning", async (t) => {
    const f = await setupCli(t);
    const file = writeJobs(f.home.home, "crashed.jsonl", [{ prompt: "a picture", id: "one" }, { prompt: "another", id: "two" }]);
    const outDir = join(f.home.home, "crashed-images");
    f.backend.enqueue({ kind: "stall" });
    let pid: number | undefined;
    const killed = await runBatch(f, file, ["--concurrency", "1"], {
      onSpawn: (child) => {
        pid = child.pid;
        void f.backend.untilGenerations(1).then(() => child.kill("SIGKILL"));
      },
    });
    assert.equal(killed.signal, "SIGKILL");
    const left = JSON.parse(readFileSync(join(outDir, LOCK), "utf8")) as { pid: number; createdAt: string; host: string };
    assert.equal(left.pid, pid, "kill -9 leaves the lock behind, naming the killed run");
    assert.ok(left.host !== "" && !Number.isNaN(Date.parse(left.createdAt)));

    const resumed = await runBatch(f, file);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`^warning: Took over .*${LOCK.replace(/\./g, "\\.")}: the batch that held it \\(pid ${pid}, started .+ local time\\) is no longer running\\.$`, "m"));
    assert.equal(existsSync(join(outDir, LOCK)), false);
  });

  test("generateBatch() holds the out dir too: a second call rejects with a BatchBusyError naming the pid and start time", async (t) => {
    const f = await setupCli(t, { latencyMs: 300 });
    const options: GenerateBatchOptions = {
      env: {},
      homeDir: f.home.home,
      cwd: f.home.home,
      outputDir: join(f.home.home, "lib-images"),
      authFile: f.authFile,
      baseUrl: f.backend.baseUrl,
      refreshUrl: f.backend.refreshUrl,
    };
    const jobs = [{ prompt: "a picture", id: "one" }];
    let planned = (): void => undefined;
    const holding = new Promise<void>((resolve) => (planned = resolve));
    const first = generateBatch(jobs, options, { onEvent: (event) => event.type === "plan" && planned() });
    await holding;
    const busy = await generateBatch(jobs, options).then(
      () => assert.fail("expected a rejection"),
      (thrown: unknown) => thrown,
    );
    assert.ok(busy instanceof BatchBusyError);
    assert.equal(busy.code, "usage");
    assert.equal(busy.pid, process.pid);
    assert.ok(busy.startedAt instanceof Date && Math.abs(busy.startedAt.getTime() - Date.now()) < 60_000);
    assert.match(busy.message, /give this one another outputDir/);
    assert.equal((await first).counts.done, 1);
    assert.equal(existsSync(join(options.outputDir, LOCK)), false);
  });
});
