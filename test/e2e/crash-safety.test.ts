/**
 * kill -9 at random points while an image or refreshed tokens are being written: never a corrupt or half-written
 * file. Writes are slowed (test/support/fs-faults.mjs) so kills land inside them; trials are seeded and bounded.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { setupCli } from "../support/cli-fixture.js";
import { killAfterMark, pool, seededRandom } from "../support/crash-loop.js";
import { fsFaultEnv, literal } from "../support/fs-faults.js";
import { noisyPng } from "../support/noisy-png.js";
import { renderPlaceholder } from "../../src/images/png.js";

const SEED = Number(process.env.CRASH_SEED ?? 20261125);
const IMAGE_TRIALS = 30;
const AUTH_TRIALS = 24;
const WIDTH = 4;
const TEMP = /^\.codex-imagen-[0-9a-f]+\.tmp$/;
// Only a net for a stuck pool: each run has its own kill timer, and a starved machine makes the trials slow.
const TIMEOUT_MS = 300_000;

test(`kill -9 during image writes (${IMAGE_TRIALS} trials, seed ${SEED}): every image file is absent or complete`, { timeout: TIMEOUT_MS }, async (t) => {
  const random = seededRandom(SEED);
  const image = noisyPng(256);
  const old = renderPlaceholder("the user's previous picture", 32, 32);
  let killedMidway = 0;
  const outcomes = { image: 0, old: 0, none: 0, temp: 0 };
  await pool(IMAGE_TRIALS, WIDTH, async (trial) => {
    const exact = trial % 2 === 1;
    const delayMs = Math.floor(random() * 260);
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "images", images: [{ data: image }] });
    const dir = exact ? join(f.home.home, "pics") : f.outDir;
    const target = join(dir, "photo.png");
    if (exact) {
      mkdirSync(dir);
      writeFileSync(target, old);
    }
    const mark = join(f.home.home, "write-started");
    const run = await f.run([...(exact ? ["-o", target] : ["--out-dir", dir]), "x"], {
      env: fsFaultEnv({ slowWrite: new RegExp(`^${literal(dir)}/`), slowMs: 200, mark }),
      onSpawn: killAfterMark(mark, delayMs),
    });
    const where = `trial ${trial} (kill ${delayMs} ms into the write, ${exact ? "-o" : "--out-dir"})`;
    if (run.signal === "SIGKILL") killedMidway += 1;
    else assert.equal(run.code, 0, `${where}: ${run.stderr}`);
    const names = readdirSync(dir);
    if (names.some((name) => TEMP.test(name))) outcomes.temp += 1;
    let kept = "none" as keyof typeof outcomes;
    for (const name of names) {
      if (TEMP.test(name)) continue; // a killed run's temp file: removed by a later run once stale
      const bytes = readFileSync(join(dir, name));
      if (exact && name === "photo.png" && bytes.equals(old)) {
        kept = "old";
        continue;
      }
      assert.ok(bytes.equals(image), `${where}: ${name} is not the complete image (${bytes.length} of ${image.length} bytes)`);
      kept = "image";
    }
    outcomes[kept] += 1;
    if (exact) assert.ok(readdirSync(dir).includes("photo.png"), `${where}: the -o file vanished`);
  });
  t.diagnostic(`killed ${killedMidway}/${IMAGE_TRIALS}; new image ${outcomes.image}, old -o file ${outcomes.old}, no file ${outcomes.none}; temp left ${outcomes.temp}`);
  assert.ok(killedMidway >= IMAGE_TRIALS / 3, `only ${killedMidway} of ${IMAGE_TRIALS} kills landed before the run finished`);
});

interface AuthJson {
  tokens: { access_token: string; refresh_token: string; account_id: string };
}

test(`kill -9 during the auth write-back (${AUTH_TRIALS} trials, seed ${SEED}): auth.json always parses, old or new tokens`, { timeout: TIMEOUT_MS }, async (t) => {
  const random = seededRandom(SEED + 1);
  let killedMidway = 0;
  let renewedCount = 0;
  await pool(AUTH_TRIALS, WIDTH, async (trial) => {
    const delayMs = Math.floor(random() * 140);
    const f = await setupCli(t, { expiresIn: -60 });
    const authDir = dirname(f.authFile);
    const mark = join(f.home.home, "write-started");
    const run = await f.run(["--refresh-only", "--json"], {
      env: fsFaultEnv({ slowWrite: new RegExp(`^${literal(authDir)}/auth\\.json(\\.[0-9a-f]+\\.tmp)?$`), slowMs: 80, mark }),
      onSpawn: killAfterMark(mark, delayMs),
    });
    const where = `trial ${trial} (kill ${delayMs} ms into the write)`;
    if (run.signal === "SIGKILL") killedMidway += 1;
    else assert.equal(run.code, 0, `${where}: ${run.stderr}`);
    let stored: AuthJson;
    try {
      stored = JSON.parse(readFileSync(f.authFile, "utf8")) as AuthJson;
    } catch (error) {
      assert.fail(`${where}: auth.json does not parse: ${String(error)}`);
    }
    const { access_token: access, refresh_token: refresh, account_id: account } = stored.tokens;
    assert.equal(account, "acct-e2e-0001", where);
    const untouched = access === f.access && refresh === f.refresh;
    const renewed = access !== f.access && refresh !== f.refresh && f.backend.oauth.isValid(refresh);
    assert.ok(untouched || renewed, `${where}: auth.json holds a mix of old and new tokens, or unknown ones`);
    if (renewed) renewedCount += 1;
    for (const name of readdirSync(authDir)) {
      assert.ok(name === "auth.json" || /^auth\.json\.([0-9a-f]+\.tmp|codex-imagen\.lock)$/.test(name), `${where}: unexpected ${name}`);
    }
  });
  t.diagnostic(`killed ${killedMidway}/${AUTH_TRIALS}; new tokens ${renewedCount}, old tokens ${AUTH_TRIALS - renewedCount}`);
  assert.ok(killedMidway >= AUTH_TRIALS / 3, `only ${killedMidway} of ${AUTH_TRIALS} kills landed before the run finished`);
});
