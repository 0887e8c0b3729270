/**
 * The architecture, as rules `npm test` checks (`npm run check:architecture`): the front doors sit on
 * top, what they share sits below them, and nothing reaches back up. design.md draws the same picture.
 */
const DOORS = "^src/(batch|gallery|mcp|serve|studio)/";

export default {
  forbidden: [
    {
      name: "no-circular-files",
      comment: "A file never reaches itself through imports.",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "no-circular-folders",
      comment: "A folder never reaches itself through another folder: the floors go one way.",
      severity: "error",
      scope: "folder",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "ground-floor-stands-alone",
      comment: "The files directly in src/ (errors, options, result, defaults...) are the floor every folder stands on; index.ts is the package entry.",
      severity: "error",
      from: { path: "^src/[^/]+\\.ts$", pathNot: "^src/index\\.ts$" },
      to: { path: "^src/[^/]+/" },
    },
    {
      name: "nothing-imports-the-package-entry",
      comment: "src/index.ts only re-exports for users of the package; code inside imports the module that defines a thing.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^src/index\\.ts$" },
    },
    {
      name: "doors-never-import-cli",
      comment: "cli/ is the dispatcher that loads the doors; what the doors share lives in flags/ (or lower).",
      severity: "error",
      from: { path: DOORS },
      to: { path: "^src/cli/" },
    },
    {
      name: "auth-never-imports-backend",
      comment: "backend/ uses auth/'s credential; the HTTP and proxy plumbing both need lives in net/.",
      severity: "error",
      from: { path: "^src/auth/" },
      to: { path: "^src/backend/" },
    },
    {
      name: "src-never-imports-tests-or-benchmarks",
      comment: "The shipped code stands on its own.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(test|bench)/" },
    },
    {
      name: "imports-resolve",
      comment: "An import the checker cannot follow would hide the rest of the graph from every rule above.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    // Packages are resolved through their "exports" maps, as Node and esbuild resolve them.
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"], mainFields: ["module", "main", "types"] },
  },
};
