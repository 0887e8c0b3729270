import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { assertUsageError, setupCli } from "../support/cli-fixture.js";
import { runCli } from "../support/run-cli.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

const SEED_FLAGS = [
  "--prompt", "--prompt-file", "--json", "--quiet", "--verbose", "--debug", "--output", "--out-dir",
  "--model", "--base-url", "--refresh-url", "--no-stream", "--retries", "--no-retry", "--timeout",
  "--timeout-seconds", "--timeout-ms", "--cwd", "--input-ref", "--image", "--image-url", "--image-detail",
  "--auth", "--auth-profile", "--smoke", "--refresh-only", "--force-refresh", "--no-refresh", "--help", "--version",
];

describe("help and version", { concurrency: 4 }, () => {
  for (const flag of ["--help", "-h"]) {
    test(`${flag} exits 0 and lists every flag`, async () => {
      const run = await runCli([flag]);
      assert.equal(run.code, 0, run.stderr);
      for (const name of SEED_FLAGS) assert.ok(run.stdout.includes(name), `help mentions ${name}`);
      assert.match(run.stdout, /-o\b/);
      assert.match(run.stdout, /-i\b/);
    });
  }

  test("--version prints the package version", async () => {
    const run = await runCli(["--version"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), pkg.version);
  });
});

describe("usage errors: exit 2, a short message, nothing on stdout, nothing sent", { concurrency: 4 }, () => {
  const cases: Array<[string, string[], RegExp?]> = [
    ["an unknown flag", ["--bogus-flag", "x"], /--bogus-flag/],
    ["a missing value", ["x", "--model"], /--model/],
    ["a missing --retries value", ["x", "--retries"]],
    ["a non-numeric --retries", ["--retries", "lots", "x"], /--retries/],
    ["a negative --retries", ["--retries=-1", "x"], /--retries/],
    ["two timeout forms", ["--timeout", "5", "--timeout-ms", "5000", "x"], /timeout/],
    ["--timeout and --timeout-seconds", ["--timeout-seconds", "5", "--timeout", "5", "x"], /timeout/],
    ["--timeout 0", ["--timeout", "0", "x"], /timeout/],
    ["--timeout -1", ["--timeout=-1", "x"], /timeout/],
    ["--timeout abc", ["--timeout", "abc", "x"], /timeout/],
    ["--timeout-ms 0", ["--timeout-ms", "0", "x"], /timeout/],
    ["--timeout-ms abc", ["--timeout-ms=abc", "x"], /timeout/],
    ["--timeout-seconds -1", ["--timeout-seconds=-1", "x"], /timeout/],
    ["no prompt at all", []],
    ["an empty --prompt", ["--prompt", ""]],
    ["a blank positional prompt", ["   "]],
    ["a missing prompt file", ["--prompt-file", "/nonexistent/dir/prompt.txt"], /prompt/],
    ["a bad --image-detail", ["--image-detail", "max", "x"], /image-detail/],
  ];
  for (const [name, args, pattern] of cases) {
    test(name, async (t) => {
      const f = await setupCli(t);
      const run = await f.run(args);
      assertUsageError(run, pattern);
      assert.equal(f.backend.generations.length, 0);
    });
  }

  test("an empty prompt file", async (t) => {
    const f = await setupCli(t);
    const file = join(f.home.home, "empty.txt");
    writeFileSync(file, "\n");
    assertUsageError(await f.run(["--prompt-file", file]));
    assertUsageError(await f.run(["--prompt-file", "-"], { stdin: "" }));
    assert.equal(f.backend.generations.length, 0);
  });
});
