#!/usr/bin/env node
// Runs every *.test.ts under the given folders with node's test runner and tsx.
// Node 20's `--test` has no glob support, so the file list is built here.
// Arguments after `--` go to node itself (e.g. extra `--test-reporter`s, as tools/stress.mjs does).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".test.ts"))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

const args = process.argv.slice(2);
const split = args.includes("--") ? args.indexOf("--") : args.length;
const dirs = args.slice(0, split);
const nodeArgs = args.slice(split + 1);
if (dirs.length === 0) {
  console.error("usage: node tools/run-tests.mjs DIR [DIR...] [-- NODE_ARG...]");
  process.exit(2);
}
const files = dirs.flatMap(testFiles);
if (files.length === 0) {
  console.error(`no *.test.ts files under ${dirs.join(", ")}`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", ...nodeArgs, ...files],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
