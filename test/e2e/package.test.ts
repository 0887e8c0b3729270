/**
 * The npm package as a stranger gets it: `npm pack`, installed into an empty project from the tarball
 * alone (temp npm cache, offline), then its bin, its typed library API and its error messages.
 */
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { cleanEnv, makeTempDir, makeTempHome } from "../support/run-cli.js";

const run = promisify(execFile);
const REPO = fileURLToPath(new URL("../../", import.meta.url));
const TSC = join(REPO, "node_modules", "typescript", "bin", "tsc");

/** npm's own CLI script, run with this test's Node (so Node 22/24 runs test their own install). */
function npmCli(): string {
  if (process.env.npm_execpath?.endsWith("npm-cli.js")) return process.env.npm_execpath;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const bin = join(dir, "npm");
    if (existsSync(bin)) return join(dirname(realpathSync(bin)), "npm-cli.js");
  }
  throw new Error("npm is not on PATH");
}

/** Everything the tarball may hold, and nothing else: no sources, no tests. */
const ALLOWED = [
  /^package\.json$/,
  /^(README|SKILL|CHANGELOG)\.md$/,
  /^LICENSE$/,
  /^agents\/openai\.yaml$/,
  /^schema\/result\.schema\.json$/,
  /^scripts\/codex-imagen\.mjs$/,
  /^scripts\/lib\/[\w-]+\.mjs$/,
  /^scripts\/studio\/(index\.html|studio-\w+\.(js|css))$/,
  /^dist\/index\.js(\.map)?$/,
  /^dist\/lib\/[\w-]+\.js(\.map)?$/,
  /^dist\/([\w-]+\/)*[\w-]+\.d\.ts$/,
];
const REQUIRED = ["package.json", "README.md", "SKILL.md", "CHANGELOG.md", "LICENSE", "agents/openai.yaml", "schema/result.schema.json", "scripts/codex-imagen.mjs", "scripts/studio/index.html", "dist/index.js", "dist/index.js.map", "dist/index.d.ts"];

const TYPED_USE = `import { generateBatch, generateImages, CodexImagenError, type BatchJob, type BatchResult, type GenerateResult, type GenerateImagesOptions } from "codex-imagen";

const options: GenerateImagesOptions = { prompt: "a fox", backend: "mock", size: "512x512", outputDir: "typed-out" };
const result: GenerateResult = await generateImages(options);
const [image] = result.images;
if (image === undefined) throw new Error("no image");
const size: string = \`\${image.width}x\${image.height}\`;
const jobs: BatchJob[] = [{ id: "owl", prompt: "an owl", size: "256x256" }];
const batch: BatchResult = await generateBatch(jobs, { backend: "mock", outputDir: "typed-batch" });
console.log(JSON.stringify({ path: image.path, mime: image.mime, size, errorClass: CodexImagenError.name, batchDone: batch.counts.done }));
`;

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    skipLibCheck: false,
    types: ["node"],
    typeRoots: [join(REPO, "node_modules", "@types")],
  },
  files: ["use.ts"],
};

describe("the npm package, installed from its tarball into an empty project", () => {
  const dir = makeTempDir("codex-imagen-package-");
  const project = join(dir, "project");
  const home = makeTempHome();
  const env = { ...cleanEnv(home), npm_config_cache: join(dir, "npm-cache"), npm_config_update_notifier: "false", npm_config_audit: "false", npm_config_fund: "false" };
  const npm = (args: string[], cwd: string) => run(process.execPath, [npmCli(), ...args], { cwd, env, maxBuffer: 16 * 1024 * 1024 });
  let files: string[] = [];

  before(async () => {
    // The build check earlier in `npm test` proved dist/ and scripts/ fresh: packing must not rebuild them under other tests.
    const packed = await npm(["pack", "--ignore-scripts", "--json", "--pack-destination", dir], REPO);
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    assert.ok(info !== undefined);
    files = info.files.map((file) => file.path);
    await run("mkdir", [project]);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "stranger", private: true, type: "module" }));
    await npm(["install", "--offline", join(dir, info.filename)], project);
  });

  test("holds the bundle, types, schema, README, SKILL.md, LICENSE and CHANGELOG: no sources, no tests", () => {
    assert.deepEqual(files.filter((file) => !ALLOWED.some((pattern) => pattern.test(file))), []);
    assert.deepEqual(REQUIRED.filter((file) => !files.includes(file)), []);
    assert.ok(files.some((file) => file.startsWith("scripts/lib/")), "the lazily loaded pieces of the bundle");
  });

  test("`npx codex-imagen --backend mock` saves a PNG", async () => {
    const { stdout } = await npm(["exec", "--offline", "--", "codex-imagen", "--backend", "mock", "--out-dir", "out", "a fox"], project);
    const path = stdout.trim();
    assert.ok(path.startsWith(join(project, "out")), stdout);
    assert.deepEqual([...readFileSync(path).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  test("`codex-imagen studio` from the installed package serves its page and the page's files", async () => {
    const child = spawn(process.execPath, [join(project, "node_modules", "codex-imagen", "scripts", "codex-imagen.mjs"), "studio", "--backend", "mock", "--no-open", "--port", "0", "--library", join(dir, "library")], { cwd: project, env, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const [chunk] = (await once(child.stdout, "data")) as [Buffer];
      const url = chunk.toString("utf8").trim();
      const page = await (await fetch(url)).text();
      const assets = [...page.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map(([, path]) => path as string);
      assert.equal(assets.length, 2, page);
      for (const asset of assets) assert.equal((await fetch(new URL(asset, url))).status, 200, asset);
    } finally {
      child.kill();
    }
  });

  test("a TypeScript file importing generateImages and generateBatch type-checks (strict, library types checked too) and runs", async () => {
    writeFileSync(join(project, "use.ts"), TYPED_USE);
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify(TSCONFIG));
    await run(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd: project, env }).catch((error: { stdout: string }) => assert.fail(`tsc found errors:\n${error.stdout}`));
    const { stdout } = await run(process.execPath, ["use.js"], { cwd: project, env });
    const printed = JSON.parse(stdout) as { path: string; mime: string; size: string; errorClass: string; batchDone: number };
    assert.equal(printed.mime, "image/png");
    assert.equal(printed.size, "512x512");
    assert.equal(printed.errorClass, "CodexImagenError");
    assert.equal(printed.batchDone, 1);
    assert.ok(existsSync(printed.path));
  });

  test("a wrong option name fails in a few readable lines naming the right one, with a stack into src/", async () => {
    writeFileSync(join(project, "wrong.mjs"), 'import { generateImages } from "codex-imagen";\nawait generateImages({ prompt: "a fox", backend: "mock", outDir: "x" });\n');
    const failed = await run(process.execPath, ["--enable-source-maps", "wrong.mjs"], { cwd: project, env }).then(
      () => assert.fail("an unknown option must throw"),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /unknown option "outDir"; did you mean outputDir\?/);
    assert.match(failed.stderr, /src\/library\/options\.ts:\d+/);
    assert.ok(failed.stderr.length < 4000, `Node printed ${failed.stderr.length} characters`);
    assert.ok(failed.stderr.split("\n").every((line) => line.length < 400), "no minified line of code in the output");
  });
});
