import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import test from "node:test";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const CONFIG = join(REPO, ".dependency-cruiser.mjs");
const DEPCRUISE = join(REPO, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");

/** Runs the architecture check of `npm test` over a scratch tree; resolves with the names of the rules it broke. */
function brokenRules(files: Record<string, string>): string[] {
  const root = mkdtempSync(join(tmpdir(), "codex-imagen-architecture-"));
  try {
    writeFileSync(join(root, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext" } }));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    // The same command and output as `npm run check:architecture`.
    const run = spawnSync(process.execPath, [DEPCRUISE, "src", "--config", CONFIG], { cwd: root, encoding: "utf8" });
    const broken = [...run.stdout.matchAll(/^ {2}error ([a-z-]+):/gm)].map(([, rule]) => rule as string);
    assert.equal(run.status === 0, broken.length === 0, `the check exits non-zero exactly when something is broken:\n${run.stdout}${run.stderr}`);
    return [...new Set(broken)].sort();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const leaf = "export const value = 1;\n";
const importing = (...paths: string[]): string => `${paths.map((path, index) => `import { value as v${index} } from "${path}";`).join("\n")}\nexport const value = [${paths.map((_, index) => `v${index}`).join(", ")}];\n`;

test("a tree that keeps the floors passes", () => {
  assert.deepEqual(
    brokenRules({
      "src/errors.ts": leaf,
      "src/net/http.ts": importing("../errors.js"),
      "src/auth/refresh.ts": importing("../net/http.js"),
      "src/backend/post.ts": importing("../auth/refresh.js", "../net/http.js"),
      "src/flags/table.ts": leaf,
      "src/serve/args.ts": importing("../flags/table.js", "../backend/post.js"),
      "src/cli/run.ts": importing("../serve/args.js", "../flags/table.js"),
      "src/index.ts": importing("./serve/args.js"),
    }),
    [],
  );
});

test("each deliberate violation fails the check under its own rule", async (t) => {
  const cases: Array<[string, Record<string, string>]> = [
    ["no-circular-files", { "src/net/a.ts": importing("./b.js"), "src/net/b.ts": importing("./a.js") }],
    ["doors-never-import-cli", { "src/cli/print.ts": leaf, "src/studio/page.ts": importing("../cli/print.js") }],
    ["auth-never-imports-backend", { "src/backend/retry.ts": leaf, "src/auth/lock.ts": importing("../backend/retry.js") }],
    ["src-never-imports-tests-or-benchmarks", { "test/support/tokens.ts": leaf, "bench/measure.ts": leaf, "src/run/x.ts": importing("../../test/support/tokens.js", "../../bench/measure.js") }],
    ["ground-floor-stands-alone", { "src/flags/table.ts": leaf, "src/errors.ts": importing("./flags/table.js") }],
    ["nothing-imports-the-package-entry", { "src/index.ts": leaf, "src/run/generate.ts": importing("../index.js") }],
    ["imports-resolve", { "src/run/generate.ts": importing("./gone.js") }],
    ["page-imports-only-browser-code", { "src/studio/server.ts": leaf, "src/studio/web/app.ts": importing("../server.js") }],
    ["page-uses-no-node", { "src/studio/web/app.ts": 'import { readFile } from "node:fs";\nexport const value = readFile;\n' }],
  ];
  for (const [rule, files] of cases) {
    await t.test(rule, () => assert.deepEqual(brokenRules(files), [rule]));
  }
  await t.test("no-circular-folders", () => {
    const broken = brokenRules({ "src/images/refs.ts": importing("../backend/http.js"), "src/backend/http.ts": leaf, "src/backend/save.ts": importing("../images/refs.js") });
    assert.deepEqual(broken, ["no-circular-folders"], "files in a line, folders in a circle");
  });
});
