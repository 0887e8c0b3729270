/** Output faults: hostile call ids, unwritable paths, a full disk — clear errors, files only where they belong. */
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { describe, test } from "node:test";
import { listDir, setupCli } from "../support/cli-fixture.js";
import { fsFaultEnv, literal } from "../support/fs-faults.js";
import type { CliRun } from "../support/run-cli.js";

const SAFE_NAME = /^codex-imagen-\d{8}-\d{6}-\d{3}-\d+-[A-Za-z0-9_-]{1,40}(-partial-\d+)?\.png$/;

function errorOf(run: CliRun): { code: string; message: string } | undefined {
  return (run.json() as { error?: { code: string; message: string } }).error;
}

describe("faults: hostile call ids", { concurrency: 4 }, () => {
  const hostile = [
    "../".repeat(40) + "etc/passwd",
    "C:\\Windows\\System32\\evil",
    "\\\\server\\share\\x",
    "%2e%2e%2f%2e%2e%2fx",
    "nul\u0000byte",
    "\u202eexe.png",
    "x".repeat(10 * 1024),
    ".",
  ];

  test("auto names: every id, 10 KB long ones and NUL included, becomes a safe name inside the output dir", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "images", images: hostile.map((callId) => ({ callId, partials: 1 })) });
    const run = await f.run(["--json", "--debug", "--save-partials", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    const paths = run.json().images.map((image) => image.path);
    assert.equal(paths.filter((p) => !/-partial-/.test(p)).length, hostile.length);
    for (const path of paths) {
      assert.equal(dirname(path), f.outDir, path);
      assert.match(basename(path), SAFE_NAME);
    }
    assert.deepEqual(listDir(f.outDir), paths.map((p) => basename(p)).sort());
    assert.deepEqual(listDir(f.home.home).sort(), ["codex-home", "openclaw-state", "out"], "nothing written beside the output dir");
    assert.ok(run.stderr.length < 64 * 1024, "a 10 KB id is not echoed over and over");
  });

  test("an exact -o path: hostile ids never change where the files go", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "images", images: hostile.slice(0, 3).map((callId) => ({ callId })) });
    const target = join(f.home.home, "pics", "cat.png");
    const run = await f.run(["--json", "-o", target, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(listDir(dirname(target)), ["cat-1.png", "cat-2.png", "cat-3.png"]);
  });
});

describe("faults: the output cannot be written", { concurrency: 4 }, () => {
  test("an -o path under a file (ENOTDIR, as CI runs as root): exit 1, io error naming the path, nothing written", async (t) => {
    const f = await setupCli(t);
    const blocker = join(f.home.home, "not-a-dir");
    writeFileSync(blocker, "plain file");
    const run = await f.run(["--json", "--debug", "--no-retry", "-o", join(blocker, "sub", "out.png"), "x"]);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(errorOf(run)?.code, "io");
    assert.ok(errorOf(run)?.message.includes(blocker), errorOf(run)?.message);
    assert.match(errorOf(run)?.message ?? "", /choose another -o/);
    assert.equal(readFileSync(blocker, "utf8"), "plain file");
  });

  test("disk full while writing an image: exit 1, a clear io error, no partial or temp file", async (t) => {
    const f = await setupCli(t);
    mkdirSync(f.outDir);
    const run = await f.run(["--json", "--debug", "--out-dir", f.outDir, "x"], { env: fsFaultEnv({ enospc: new RegExp(`^${literal(f.outDir)}/`) }) });
    assert.equal(run.code, 1, run.stderr);
    assert.equal(errorOf(run)?.code, "io");
    assert.match(errorOf(run)?.message ?? "", /No space left on the device.*free some space or choose another --out-dir/);
    assert.equal(f.backend.generations.length, 1, "a full disk is not retried");
    assert.deepEqual(listDir(f.outDir), []);
  });

  test("disk full while replacing an exact -o file: the old file stays intact, no temp file", async (t) => {
    const f = await setupCli(t);
    const target = join(f.home.home, "keep", "photo.png");
    mkdirSync(dirname(target));
    writeFileSync(target, "the user's previous picture");
    const run = await f.run(["--json", "-o", target, "x"], { env: fsFaultEnv({ enospc: new RegExp(`^${literal(dirname(target))}/`) }) });
    assert.equal(run.code, 1, run.stderr);
    assert.equal(errorOf(run)?.code, "io");
    assert.equal(readFileSync(target, "utf8"), "the user's previous picture");
    assert.deepEqual(listDir(dirname(target)), ["photo.png"]);
  });

  test("disk full while writing refreshed tokens back: exit 1, the auth file unchanged with its mode, no temp file", async (t) => {
    const f = await setupCli(t, { expiresIn: -60 });
    const before = readFileSync(f.authFile, "utf8");
    const authDir = dirname(f.authFile);
    const run = await f.run(["--json", "--debug", "--out-dir", f.outDir, "x"], {
      env: fsFaultEnv({ enospc: new RegExp(`^${literal(authDir)}/auth\\.json\\..*\\.tmp$`) }),
    });
    assert.equal(run.code, 1, run.stderr);
    assert.equal(errorOf(run)?.code, "io");
    assert.match(errorOf(run)?.message ?? "", /Could not write the refreshed credentials .*ENOSPC.*unchanged/);
    assert.equal(readFileSync(f.authFile, "utf8"), before);
    assert.equal(statSync(f.authFile).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(authDir), ["auth.json"]);
    assert.equal(f.backend.generations.length, 0);
  });
});
