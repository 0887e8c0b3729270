import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { cleanEnv, makeTempHome } from "../support/run-cli.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The README's library example, exactly as printed. */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("\n## Library\n"));
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(code, "README has a js example under ## Library");
  return code;
}

test("the README's library example runs as written against the built package (dist/)", () => {
  assert.ok(existsSync(join(ROOT, "dist", "index.js")) && existsSync(join(ROOT, "dist", "index.d.ts")), "run npm run build (npm ci does it) first");
  const home = makeTempHome();
  const project = join(home.home, "project");
  mkdirSync(join(project, "node_modules"), { recursive: true });
  symlinkSync(ROOT, join(project, "node_modules", "codex-imagen"), "dir");
  writeFileSync(join(project, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(join(project, "example.mjs"), readmeExample());
  const run = spawnSync(process.execPath, ["example.mjs"], { cwd: project, env: cleanEnv(home, { OPENCLAW_STATE_DIR: undefined }), encoding: "utf8", timeout: 30_000 });
  assert.equal(run.status, 0, run.stderr);
  const saved = /^saved (.+)$/m.exec(run.stdout)?.[1];
  assert.ok(saved !== undefined && saved.startsWith(join(project, "codex-imagen-output")), run.stdout);
  assert.ok(existsSync(saved));
  assert.match(run.stdout, /1536x1024/);
});

test("the package's entry exports the API and the error classes", async () => {
  const api = (await import(join(ROOT, "dist", "index.js"))) as Record<string, unknown>;
  for (const name of ["generateImages", "CodexImagenError", "UsageError", "AuthError", "BackendError", "RateLimitError", "TimeoutError", "VERSION"]) {
    assert.ok(name in api, `missing export ${name}`);
  }
  const packageJson = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { exports: Record<string, { types?: string; import?: string }> };
  assert.equal(packageJson.exports["."]?.import, "./dist/index.js");
  assert.match(readFileSync(join(ROOT, "dist", "index.d.ts"), "utf8"), /generateImages/);
});
