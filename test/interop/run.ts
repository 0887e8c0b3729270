/**
 * `npm run test:interop`: installs the pinned real clients on first run (into a cache folder outside
 * the repo), then runs test/interop on Node 24, the Node OpenClaw needs and that has `node:sqlite`.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cacheDir, clients, ensureInstalled } from "./support/clients.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const files = readdirSync(here)
  .filter((name) => name.endsWith(".test.ts"))
  .sort()
  .map((name) => join(here, name));

ensureInstalled((line) => console.log(`test:interop: ${line}`));
const { node24 } = clients();
console.log(`test:interop: clients in ${cacheDir()}; tests run on ${node24}`);
const result = spawnSync(node24, ["--import", "tsx", "--test", "--test-concurrency=2", ...process.argv.slice(2), ...files], { stdio: "inherit" });
process.exit(result.status ?? 1);
