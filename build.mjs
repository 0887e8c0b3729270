#!/usr/bin/env node
// Builds the committed CLI bundle (scripts/), the studio's page (scripts/studio/), the result schema, and the library in dist/.
// `--check` fails when any of them is stale (`--check DIR`: the copies under DIR); `--lib` builds
// only dist/ (npm's `prepare`).
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { parseArgs } from "node:util";

const outfile = "scripts/codex-imagen.mjs";
const packageJson = JSON.parse(readFileSync("package.json", "utf8"));
const schemaFile = "schema/result.schema.json";

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  write: false,
  legalComments: "none",
  // Parsing the file is most of a cold start: minifying took --smoke from +86 to +76 ms over `node -e 0` (bench/run.ts).
  minifyWhitespace: true,
  minifySyntax: true,
  define: { __CODEX_IMAGEN_VERSION__: JSON.stringify(packageJson.version) },
  logLevel: "warning",
};

// The MCP SDK also accepts zod 3 schemas and checks elicitation answers with ajv; we use neither,
// and leaving them out keeps half a megabyte out of the file every CLI start has to read.
const UNUSED_SDK_DEPENDENCIES = {
  "zod/v3": 'export function object() { throw new Error("zod 3 schemas are not supported in this build"); }',
  "zod-to-json-schema": 'export function zodToJsonSchema() { throw new Error("zod 3 schemas are not supported in this build"); }',
  ajv: 'export default class Ajv { compile() { throw new Error("JSON Schema validation is not included in this build"); } getSchema() { return undefined; } }',
  "ajv-formats": "export default function addFormats() {}",
};
const leaveOutUnusedSdkDependencies = {
  name: "leave-out-unused-sdk-dependencies",
  setup(esbuild) {
    esbuild.onResolve({ filter: /^(zod\/v3|zod-to-json-schema|ajv|ajv-formats)$/ }, (args) =>
      args.importer.includes("@modelcontextprotocol") ? { path: args.path, namespace: "unused" } : undefined,
    );
    esbuild.onLoad({ filter: /.*/, namespace: "unused" }, (args) => ({ contents: UNUSED_SDK_DEPENDENCIES[args.path], loader: "js" }));
  },
};

// zod sets up all of its ~50 message locales at start (390 KB); the tool speaks English only.
const englishZodLocaleOnly = {
  name: "english-zod-locale-only",
  setup(esbuild) {
    esbuild.onLoad({ filter: /zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      loader: "js",
      resolveDir: dirname(args.path),
    }));
  },
};

// esbuild splits by file: if our zod/mini schemas shared zod's core files with the MCP SDK's classic
// zod, the chunk every credential check loads would carry all of classic's core (~200 KB). Our own
// imports of zod/mini read a second copy of the same zod version (the npm alias zod-for-cli), so the
// start of --smoke holds only the ~45 KB of core that mini uses.
if (packageJson.devDependencies["zod-for-cli"] !== `npm:zod@${packageJson.devDependencies.zod}`) {
  throw new Error('package.json: "zod-for-cli" must be an alias of the same zod version as "zod"');
}
const zodMiniOfItsOwn = {
  name: "zod-mini-of-its-own",
  setup(esbuild) {
    esbuild.onResolve({ filter: /^zod\/mini$/ }, (args) =>
      args.importer.includes("node_modules") ? undefined : esbuild.resolve("zod-for-cli/mini", { kind: args.kind, resolveDir: args.resolveDir }),
    );
  },
};

// esbuild gives each set of lazily loaded modules that share code a chunk of its own: what `--smoke`
// loads came out as 19 files, and Node spends ~0.6 ms on every file it loads. Here every lazily loaded
// module of ours also imports what any run starts with (main.ts's imports, and run.ts), so that code
// has the same sharers and lands in two chunks: `--smoke` went from 1.41x to 1.23x `node -e 0` on Node 20
// (bench/start.ts). At run time the imports change nothing: all of it is loaded before any of them.
const MAIN_MODULE = join(process.cwd(), "src/cli/main.ts");
const RUN_MODULE = join(process.cwd(), "src/cli/run.ts");

/** The files of ours that `file` imports statically (`import ... from "./x.js"`) or lazily (`import("./x.js")`). */
function relativeImports(file, pattern) {
  return [...readFileSync(file, "utf8").matchAll(pattern)].map(([, specifier]) => join(dirname(file), `${specifier}.ts`));
}
const STATIC_IMPORT = /^import [^;]*? from "(\.{1,2}\/[^"]+)\.js";$/gm;
const LAZY_IMPORT = /\bimport\("(\.{1,2}\/[^"]+)\.js"\)/g;

const sameChunkForWhatARunStartsWith = {
  name: "same-chunk-for-what-a-run-starts-with",
  setup(esbuild) {
    const startModules = [RUN_MODULE, ...relativeImports(MAIN_MODULE, STATIC_IMPORT)];
    const lazyModules = new Set(listFiles(process.cwd(), "src", /\.ts$/).flatMap((file) => relativeImports(join(process.cwd(), file), LAZY_IMPORT)));
    esbuild.onLoad({ filter: /\.ts$/ }, (args) => {
      if (!lazyModules.has(args.path)) return undefined;
      const imports = startModules.filter((module) => module !== args.path).map((module) => `import ${JSON.stringify(module)};`);
      return { contents: `${readFileSync(args.path, "utf8")}\n${imports.join("\n")}\n`, loader: "ts" };
    });
  },
};

// undici (loaded only when a proxy is set) is CommonJS: its require() calls of Node built-ins need a real require.
const REQUIRE_SHIM = 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);\n';
const GENERATED = "// Generated from src/ by `npm run build`. Do not edit by hand.\n";

/**
 * A split build: each entry holds only what its module graph needs at once; every dynamic import()
 * (the run, auth, subcommands, proxy support) becomes a chunk under lib/ that Node reads only when
 * it is reached. Returns [path, text] pairs.
 */
async function splitBundle(entryPoints, outdir, options) {
  const result = await build({ ...common, ...options, entryPoints, outdir, splitting: true, chunkNames: "lib/[name]-[hash]" });
  return result.outputFiles.map((file) => [relative(process.cwd(), file.path).split(sep).join("/"), file.text]);
}

/** The command-line program: scripts/codex-imagen.mjs (its hashbang comes from main.ts) and scripts/lib/. */
async function bundleCli() {
  const outputs = await splitBundle({ "codex-imagen": "src/cli/main.ts" }, "scripts", {
    plugins: [leaveOutUnusedSdkDependencies, englishZodLocaleOnly, zodMiniOfItsOwn, sameChunkForWhatARunStartsWith],
    // .mjs, so the files stay ES modules when the skill folder is copied without a package.json.
    outExtension: { ".js": ".mjs" },
  });
  // Only the chunk that holds esbuild's require helper gets the shim: no other chunk pays for it.
  return outputs.map(([path, text]) => {
    const [hashbang, body] = text.startsWith("#!") ? [text.slice(0, text.indexOf("\n") + 1), text.slice(text.indexOf("\n") + 1)] : ["", text];
    return [path, `${hashbang}${GENERATED}${body.includes("Dynamic require of") ? REQUIRE_SHIM : ""}${body}`];
  });
}

const STUDIO_ASSETS = "scripts/studio";

/** The studio's page (scripts/studio/): its Preact app and stylesheet with content hashes in their names, and the index.html that names them. */
async function bundleStudioPage() {
  const result = await build({
    entryPoints: { studio: "src/studio/web/main.tsx" },
    bundle: true,
    platform: "browser",
    format: "esm",
    target: ["chrome120", "firefox121", "safari17"],
    minify: true,
    write: false,
    outdir: STUDIO_ASSETS,
    entryNames: "[name]-[hash]",
    tsconfig: "src/studio/web/tsconfig.json",
    legalComments: "none",
    logLevel: "warning",
  });
  const files = result.outputFiles.map((file) => [relative(process.cwd(), file.path).split(sep).join("/"), file.text]);
  const named = (ext) => files.map(([path]) => path.split("/").pop()).find((name) => name.endsWith(ext));
  const page = [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    "<title>codex-imagen studio</title>",
    // No icon file: without this line the browser asks for /favicon.ico and logs the 404.
    '<link rel="icon" href="data:,">',
    `<link rel="stylesheet" href="/assets/${named(".css")}">`,
    `<script type="module" src="/assets/${named(".js")}"></script>`,
    "</head>",
    "<body>",
    '<div id="app"></div>',
    "<noscript>The studio is a JavaScript page: allow scripts for this address.</noscript>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
  return [...files, [`${STUDIO_ASSETS}/index.html`, page]];
}

/** schema/result.schema.json, generated from the zod schema the MCP server serves as outputSchema. */
async function resultSchema() {
  const result = await build({ ...common, entryPoints: ["src/library/result-schema.ts"], outfile: "result-schema.mjs" });
  const module = await import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString("base64")}`);
  return `${JSON.stringify(module.resultJsonSchema(), null, 2)}\n`;
}

/** The library, readable: one statement per line, names kept, with source maps into src/ for stack traces and debuggers. */
function bundleLibrary() {
  return splitBundle({ index: "src/index.ts" }, "dist", {
    minifyWhitespace: false,
    minifySyntax: false,
    sourcemap: "linked",
    banner: { js: GENERATED + REQUIRE_SHIM },
  });
}

function read(root, file) {
  try {
    return readFileSync(join(root, file), "utf8");
  } catch {
    return ""; // a missing file is stale too
  }
}

/** Files under `root/dir` (recursively) whose names match `pattern`, as build paths. */
function listFiles(root, dir, pattern) {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { recursive: true })
    .map((name) => `${dir}/${String(name).split(sep).join("/")}`)
    .filter((path) => pattern.test(path) && statSync(join(root, path)).isFile());
}

/** Every generated file under `root` now: the bundle and its chunks, the schema, the library's JavaScript and maps. */
function generatedOnDisk(root) {
  return [...listFiles(root, "scripts", /\.mjs$/), ...listFiles(root, STUDIO_ASSETS, /\.(html|js|css)$/), schemaFile, ...listFiles(root, "dist", /\.(m?js|map)$/)];
}

const { values: flags, positionals } = parseArgs({ options: { check: { type: "boolean" }, lib: { type: "boolean" } }, allowPositionals: true });

if (flags.check) {
  const root = positionals[0] ?? ".";
  const expected = new Map([...(await bundleCli()), ...(await bundleStudioPage()), [schemaFile, await resultSchema()], ...(await bundleLibrary())]);
  const stale = [...new Set([...expected.keys(), ...generatedOnDisk(root)])].filter((file) => read(root, file) !== expected.get(file)).sort();
  if (stale.length > 0) {
    console.error(`${stale.join(", ")} ${stale.length === 1 ? "is" : "are"} stale: run \`npm run build\` (and commit scripts/ and ${schemaFile}).`);
    process.exit(1);
  }
} else {
  const outputs = flags.lib ? await bundleLibrary() : [...(await bundleCli()), ...(await bundleStudioPage()), [schemaFile, await resultSchema()], ...(await bundleLibrary())];
  // Chunk names carry content hashes: old ones would linger beside the new ones.
  for (const dir of flags.lib ? ["dist"] : ["scripts/lib", STUDIO_ASSETS, "dist"]) rmSync(dir, { recursive: true, force: true });
  for (const [file, text] of outputs) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text, { mode: file === outfile ? 0o755 : 0o644 });
  }
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.lib.json"], { stdio: "inherit" });
}
