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
      name: "page-imports-only-browser-code",
      comment: "The studio's page runs in the browser: besides itself it may use the protocol and options it shares with the server, the CLI's option checks, the PNG container and the shared types, never server code.",
      severity: "error",
      from: { path: "^src/studio/web/" },
      to: { path: "^src/", pathNot: "^src/(studio/web/|studio/(protocol|options)\\.ts$|validate/(image-options|images-backend|option-names|size|values)\\.ts$|images/png-container\\.ts$|(bytes|errors|image-models|options|result)\\.ts$)" },
    },
    {
      name: "page-uses-no-node",
      comment: "Node's modules do not exist in the browser; the page's libraries are Preact and its signals.",
      severity: "error",
      from: { path: "^src/studio/web/" },
      to: { dependencyTypes: ["core", "npm", "npm-dev"], pathNot: "node_modules/(preact|@preact/signals(-core)?)/" },
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
