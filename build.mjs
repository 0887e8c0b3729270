#!/usr/bin/env node
// Builds the committed single-file bundle; `--check` fails when the committed file is stale.
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";

const outfile = "scripts/codex-imagen.mjs";
const { version } = JSON.parse(readFileSync("package.json", "utf8"));

const result = await build({
  entryPoints: ["src/cli/main.ts"],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  write: false,
  outfile,
  legalComments: "none",
  banner: {
    js: "#!/usr/bin/env node\n// Generated from src/ by `npm run build`. Do not edit by hand.",
  },
  define: { __CODEX_IMAGEN_VERSION__: JSON.stringify(version) },
  logLevel: "warning",
});
const fresh = result.outputFiles[0].text;

if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = readFileSync(outfile, "utf8");
  } catch {
    // a missing bundle is stale too
  }
  if (committed !== fresh) {
    console.error(`${outfile} is stale: run \`npm run build\` and commit the result.`);
    process.exit(1);
  }
} else {
  writeFileSync(outfile, fresh, { mode: 0o755 });
}
