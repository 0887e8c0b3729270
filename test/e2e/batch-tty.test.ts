/**
 * The batch's live block on a real pseudo-terminal: the run goes through `script` (util-linux), and the bytes it
 * wrote are replayed into a headless xterm, so the assertions are about the screen a user would see.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import headless from "@xterm/headless";
import { writeJobs } from "../support/batch-fixture.js";
import { setupCli } from "../support/cli-fixture.js";
import { BUNDLE, cleanEnv } from "../support/run-cli.js";

// A CommonJS package: its classes hang off the default export.
const { Terminal } = headless;
type Terminal = InstanceType<typeof Terminal>;
const COLS = 100;
const ROWS = 40;
/** log-update wraps every frame in synchronized output; a frame is complete at its end marker. */
const FRAME_END = "\x1b[?2026l";

const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/** Runs `argv` on a pseudo-terminal of COLS x ROWS; resolves with everything written to it and the exit code. */
function runOnTerminal(argv: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ output: string; code: number | null }> {
  const command = `stty cols ${COLS} rows ${ROWS}; exec ${argv.map(quote).join(" ")}`;
  const child = spawn("script", ["-qefc", command, "/dev/null"], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  const chunks: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(killer);
      resolve({ output: Buffer.concat(chunks).toString("utf8"), code });
    });
  });
}

function screen(terminal: Terminal): string[] {
  const buffer = terminal.buffer.active;
  return Array.from({ length: buffer.length }, (_, row) => buffer.getLine(row)?.translateToString(true) ?? "").filter((line) => line.trim() !== "");
}

const write = (terminal: Terminal, data: string): Promise<void> => new Promise((resolve) => terminal.write(data, resolve));

test("on a terminal: one live block (done / failed / running / waiting, images/min, ETA) with a usage-limit countdown; the account's limits, paths and messages scroll above it", { timeout: 60_000 }, async (t) => {
  const f = await setupCli(t, { latencyMs: 200, usageLimit: { afterRequests: 2, resetAfterMs: 2500 } });
  const file = writeJobs(f.home.home, "tty.jsonl", ["a", "b", "c", "d"].map((id) => ({ prompt: `picture ${id}`, id })));
  const argv = [process.execPath, BUNDLE, "batch", file, ...f.baseArgs, "--auth", f.authFile, "--concurrency", "2"];
  const { output, code } = await runOnTerminal(argv, cleanEnv(f.home), f.home.home);
  assert.equal(code, 0, output);

  const terminal = new Terminal({ cols: COLS, rows: ROWS, scrollback: 1000, allowProposedApi: true });
  let countdown: string | undefined;
  for (const frame of output.split(FRAME_END)) {
    await write(terminal, frame + FRAME_END);
    countdown ??= screen(terminal).find((line) => /^ {7}usage limit: nothing is sent until .+ \(\d+ s left\)$/.test(line));
  }
  assert.ok(countdown, "a frame showed the countdown to the reset");

  const lines = screen(terminal);
  const blocks = lines.filter((line) => /^batch {2}\d+\/\d+ done/.test(line));
  assert.deepEqual(blocks, ["batch  4/4 done · 0 failed · 0 running · 0 waiting"], `one block, redrawn in place:\n${lines.join("\n")}`);
  const block = lines.indexOf(blocks[0] ?? "");
  assert.match(lines[block + 1] ?? "", /^ {7}\d+\.\d images\/min · ETA \d+ s$/);
  assert.ok(!lines.slice(block + 2).some((line) => line.includes("usage limit")), "the countdown is gone once the limit reset");
  assert.equal(lines.filter((line) => /^\/.*-images\/[a-d]\.png$/.test(line)).length, 4, "each saved path on a line of its own");
  const limits = [/^limits plan: plus$/, /^limits primary: 42% used of a 5-hour window, resets at .+ local time \(in \d+ s\)$/, /^limits secondary: 7% used of a 7-day window, resets at /, /^limits credits: has_credits true, unlimited false, balance 12\.50$/];
  for (const limit of limits) {
    const row = lines.findIndex((line) => limit.test(line));
    assert.ok(row !== -1 && row < block, `${limit} above the block:\n${lines.join("\n")}`);
  }
  for (const message of [/^batch: 4 jobs; images, manifest\.jsonl and index\.html go to /, /^usage limit reached: nothing is sent until it resets at /, /^usage limit reset: continuing\.$/, /^batch: all 4 jobs done; gallery: /]) {
    assert.ok(lines.some((line) => message.test(line)), `${message} on the screen:\n${lines.join("\n")}`);
  }
});
