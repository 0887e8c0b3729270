#!/usr/bin/env node
// Builds the committed single-file bundle and result schema, and the library in dist/.
// `--check` fails when any of them is stale; `--lib` builds only dist/ (npm's `prepare`).
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const outfile = "scripts/codex-imagen.mjs";
const schemaFile = "schema/result.schema.json";
const libraryFile = "dist/index.js";
const { version } = JSON.parse(readFileSync("package.json", "utf8"));

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
  define: { __CODEX_IMAGEN_VERSION__: JSON.stringify(version) },
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

// undici (loaded only when a proxy is set) is CommonJS: its require() calls of Node built-ins need a real require.
const REQUIRE_SHIM = 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);';

async function bundleCli() {
  const result = await build({
    ...common,
    entryPoints: ["src/cli/main.ts"],
    outfile,
    banner: { js: `#!/usr/bin/env node\n// Generated from src/ by \`npm run build\`. Do not edit by hand.\n${REQUIRE_SHIM}` },
    plugins: [leaveOutUnusedSdkDependencies, englishZodLocaleOnly],
  });
  return result.outputFiles[0].text;
}

/** schema/result.schema.json, generated from the zod schema the MCP server serves as outputSchema. */
async function resultSchema() {
  const result = await build({ ...common, entryPoints: ["src/library/result-schema.ts"], outfile: "result-schema.mjs" });
  const module = await import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString("base64")}`);
  return `${JSON.stringify(module.resultJsonSchema(), null, 2)}\n`;
}

async function bundleLibrary() {
  const result = await build({ ...common, entryPoints: ["src/index.ts"], outfile: libraryFile, banner: { js: REQUIRE_SHIM } });
  return result.outputFiles[0].text;
}

function read(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return ""; // a missing file is stale too
  }
}

if (process.argv.includes("--check")) {
  const expected = [
    [outfile, await bundleCli()],
    [schemaFile, await resultSchema()],
    [libraryFile, await bundleLibrary()],
  ];
  const stale = expected.filter(([file, fresh]) => read(file) !== fresh).map(([file]) => file);
  if (stale.length > 0) {
    console.error(`${stale.join(", ")} ${stale.length === 1 ? "is" : "are"} stale: run \`npm run build\` (and commit ${outfile} and ${schemaFile}).`);
    process.exit(1);
  }
} else {
  if (!process.argv.includes("--lib")) {
    writeFileSync(outfile, await bundleCli(), { mode: 0o755 });
    mkdirSync("schema", { recursive: true });
    writeFileSync(schemaFile, await resultSchema());
  }
  mkdirSync("dist", { recursive: true });
  writeFileSync(libraryFile, await bundleLibrary());
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.lib.json"], { stdio: "inherit" });
}
