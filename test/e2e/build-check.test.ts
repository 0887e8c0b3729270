/**
 * `npm run check:bundle` guards every generated file: the entry, each chunk under scripts/lib/ (a
 * changed, missing or left-over one), the schema and the library. Checked on a copy of those files.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { appendFileSync, cpSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { makeTempDir } from "../support/run-cli.js";

const run = promisify(execFile);
const REPO = fileURLToPath(new URL("../../", import.meta.url));

test("the build's freshness check names an edited, a missing and a left-over chunk", async () => {
  const copy = makeTempDir("codex-imagen-build-check-");
  for (const dir of ["scripts", "schema", "dist"]) cpSync(join(REPO, dir), join(copy, dir), { recursive: true });
  const [edited, missing] = readdirSync(join(copy, "scripts", "lib")).map((name) => join("scripts", "lib", name));
  assert.ok(edited !== undefined && missing !== undefined, "the bundle has chunks");
  const leftOver = join("scripts", "lib", "chunk-LEFTOVER.mjs");
  appendFileSync(join(copy, edited), "\n// edited by hand\n");
  rmSync(join(copy, missing));
  writeFileSync(join(copy, leftOver), "export {};\n");

  const failed = await run(process.execPath, ["build.mjs", "--check", copy], { cwd: REPO }).then(
    () => assert.fail("a stale copy must fail the check"),
    (error: { code: number; stderr: string }) => error,
  );
  assert.equal(failed.code, 1);
  const named = /^(.*) are stale: run `npm run build`/.exec(failed.stderr)?.[1]?.split(", ");
  assert.deepEqual(named, [edited, leftOver, missing].sort());
});
