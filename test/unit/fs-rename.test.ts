import assert from "node:assert/strict";
import fs from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { renameWithRetry } from "../../src/fs/rename.js";

const busy = (code: string) => Object.assign(new Error(`${code}: resource busy or locked, rename`), { code });

/** A rename that fails `failures` times with `code`, then renames for real. */
function flakyRename(failures: number, code = "EPERM") {
  const calls: string[] = [];
  return {
    calls,
    rename: async (from: string, to: string) => {
      calls.push(`${from}->${to}`);
      if (calls.length <= failures) throw busy(code);
      await fs.rename(from, to);
    },
  };
}

const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true }))));

async function tempPair(): Promise<{ from: string; to: string }> {
  const dir = await fs.mkdtemp(path.join(tmpdir(), "codex-imagen-rename-"));
  dirs.push(dir);
  const from = path.join(dir, ".codex-imagen-new.tmp");
  const to = path.join(dir, "target.png");
  await fs.writeFile(from, "new");
  await fs.writeFile(to, "old");
  return { from, to };
}

test("on Windows a target held busy (EPERM, EBUSY) is retried until the rename goes through", async () => {
  for (const code of ["EPERM", "EBUSY"]) {
    const { from, to } = await tempPair();
    const flaky = flakyRename(3, code);
    await renameWithRetry(from, to, { rename: flaky.rename, platform: "win32", delaysMs: [1, 1, 1, 1] });
    assert.equal(flaky.calls.length, 4);
    assert.equal(await fs.readFile(to, "utf8"), "new");
    await assert.rejects(fs.access(from), { code: "ENOENT" });
  }
});

test("the retries are bounded: a target that stays busy fails with the original error, both files intact", async () => {
  const { from, to } = await tempPair();
  const flaky = flakyRename(Infinity, "EBUSY");
  const started = Date.now();
  await assert.rejects(renameWithRetry(from, to, { rename: flaky.rename, platform: "win32" }), { code: "EBUSY" });
  assert.equal(flaky.calls.length, 6, "one try and five retries");
  assert.ok(Date.now() - started < 5000, "gives up in well under the default timeouts");
  assert.equal(await fs.readFile(to, "utf8"), "old");
  assert.equal(await fs.readFile(from, "utf8"), "new");
});

test("other errors, and EPERM off Windows, are not retried", async () => {
  const { from, to } = await tempPair();
  const enoent = flakyRename(Infinity, "ENOENT");
  await assert.rejects(renameWithRetry(from, to, { rename: enoent.rename, platform: "win32", delaysMs: [1, 1] }), { code: "ENOENT" });
  assert.equal(enoent.calls.length, 1);
  const linux = flakyRename(Infinity, "EPERM");
  await assert.rejects(renameWithRetry(from, to, { rename: linux.rename, platform: "linux", delaysMs: [1, 1] }), { code: "EPERM" });
  assert.equal(linux.calls.length, 1);
});

test("without injection it renames over an existing file", async () => {
  const { from, to } = await tempPair();
  await renameWithRetry(from, to);
  assert.equal(await fs.readFile(to, "utf8"), "new");
});
