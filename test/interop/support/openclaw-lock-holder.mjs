// Runs OpenClaw's own OAuth-refresh lock code (from its installed bundle, on Node 24) so tests can
// hold, or wait for, the lock exactly as OpenClaw does. Talks JSON lines: events on stdout, commands on stdin.
//   node openclaw-lock-holder.mjs <openclaw dist> paths '<[[provider, profileId], ...]>'  → prints OpenClaw's lock paths
//   node openclaw-lock-holder.mjs <openclaw dist> hold <provider> <profileId>
//     prints {"event":"ready"}; on stdin "lock" it takes the lock (waiting while someone else holds it),
//     prints {"event":"locked"}; on stdin "release" it releases, prints {"event":"released"} and exits.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const [dist, mode, ...rest] = process.argv.slice(2);

/** OpenClaw's bundle names its chunks by hash: find the chunk defining `fn` and the name it exports it under. */
async function openClawFunction(fn) {
  for (const name of readdirSync(dist)) {
    if (!name.endsWith(".mjs")) continue;
    const text = readFileSync(join(dist, name), "utf8");
    if (!text.includes(`function ${fn}(`)) continue;
    const exported = new RegExp(`\\b${fn} as ([\\w$]+)`).exec(text.slice(text.lastIndexOf("export {")));
    if (exported === null) continue;
    const value = (await import(pathToFileURL(join(dist, name)).href))[exported[1]];
    if (typeof value === "function") return value;
  }
  throw new Error(`OpenClaw's ${fn} was not found in ${dist}`);
}

const emit = (event) => process.stdout.write(`${JSON.stringify({ ...event, at: Date.now() })}\n`);

const lockPath = await openClawFunction("resolveOAuthRefreshLockPath");
if (mode === "paths") {
  emit({ event: "paths", paths: JSON.parse(rest[0]).map(([provider, profileId]) => lockPath(provider, profileId)) });
} else if (mode === "hold") {
  const [provider, profileId] = rest;
  const withOAuthProfileLock = await openClawFunction("withOAuthProfileLock");
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const waitFor = async (word) => {
    for (;;) {
      const line = await lines.next();
      if (line.done) process.exit(2); // the test went away
      if (line.value.trim() === word) return;
    }
  };
  emit({ event: "ready", path: lockPath(provider, profileId), pid: process.pid });
  await waitFor("lock");
  await withOAuthProfileLock({ provider, profileId }, async () => {
    emit({ event: "locked" });
    await waitFor("release");
  });
  emit({ event: "released" });
  process.exit(0);
} else {
  throw new Error(`unknown mode ${mode}`);
}
