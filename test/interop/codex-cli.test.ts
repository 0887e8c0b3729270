/**
 * Interop with the real Codex CLI: after our tool refreshes a Codex `auth.json`, `codex login status`
 * still accepts it, and the Codex CLI's own lock files were never created, removed or touched.
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { decodeJwtClaims } from "../../src/auth/jwt.js";
import { startFakeBackend, type FakeBackend } from "../support/fake-backend.js";
import { makeTempHome, runCli, type TempHome } from "../support/run-cli.js";
import { makeJwt } from "../support/tokens.js";
import { clients, CODEX_VERSION, type Clients } from "./support/clients.js";
import { CODEX_LOCKS, createCodexLocks, fileFacts, writeCodexCliAuth } from "./support/codex-auth.js";
import { describeRun, runCodex } from "./support/real-client.js";
import { startTrapProxy, type TrapProxy } from "./support/trap-proxy.js";

const ACCOUNT = "acct-interop-codex";

let real: Clients;
let backend: FakeBackend;
let trap: TrapProxy;

before(async () => {
  real = clients();
  backend = await startFakeBackend({ oauth: { accountId: ACCOUNT } });
  trap = await startTrapProxy();
});

after(async () => {
  await backend.close();
  await trap.close();
});

/** A logged-in Codex home whose access token expired ten minutes ago. */
function expiredLogin(refresh: string): { home: TempHome; authPath: string; before: string } {
  const home = makeTempHome();
  backend.oauth.addRefreshToken(refresh);
  const authPath = writeCodexCliAuth(home.codexHome, {
    idToken: makeJwt({ expSeconds: 3600, accountId: ACCOUNT, email: "user@example.com" }),
    access: makeJwt({ expSeconds: -600, accountId: ACCOUNT }),
    refresh,
    accountId: ACCOUNT,
  });
  return { home, authPath, before: readFileSync(authPath, "utf8") };
}

const keyShape = (doc: Record<string, unknown>) => ({ top: Object.keys(doc), tokens: Object.keys(doc.tokens as object) });

/** What the Codex CLI needs from the file after our refresh, checked field by field. */
function assertRefreshedLikeCodex(authPath: string, beforeText: string, oldRefresh: string): void {
  const beforeDoc = JSON.parse(beforeText) as Record<string, unknown>;
  const text = readFileSync(authPath, "utf8");
  const doc = JSON.parse(text) as { auth_mode: unknown; OPENAI_API_KEY: unknown; last_refresh: string; tokens: Record<string, string> };
  assert.deepEqual(keyShape(doc), keyShape(beforeDoc), "the keys and their order the Codex CLI wrote are kept");
  assert.equal(doc.auth_mode, "chatgpt");
  assert.equal(doc.OPENAI_API_KEY, null);
  assert.equal(doc.tokens.account_id, ACCOUNT);
  assert.notEqual(doc.tokens.refresh_token, oldRefresh, "the rotated refresh token is stored");
  assert.ok(backend.oauth.isValid(doc.tokens.refresh_token ?? ""), "the stored refresh token is the one the token endpoint will accept next");
  const expiresAt = decodeJwtClaims(doc.tokens.access_token ?? "").expiresAtMs ?? 0;
  assert.ok(expiresAt > Date.now() + 30 * 60_000, "the new access token is stored");
  assert.equal(doc.tokens.id_token?.split(".").length, 3, "the Codex CLI rejects an id_token that is not a JWT");
  assert.ok(Date.parse(doc.last_refresh) > Date.parse((beforeDoc as { last_refresh: string }).last_refresh), "last_refresh moves forward");
  assert.match(doc.last_refresh, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, "last_refresh stays RFC 3339 UTC");
  assert.equal(fileFacts(authPath)?.mode, 0o600, "auth.json stays 0600");
}

async function assertCodexLoggedIn(home: TempHome): Promise<void> {
  const status = await runCodex(real, home, trap.url, ["login", "status"]);
  assert.equal(status.code, 0, describeRun(status));
  // Codex 0.169 prints its status on stderr.
  assert.match(status.stdout + status.stderr, /Logged in using ChatGPT/, describeRun(status));
}

describe(`real Codex CLI ${CODEX_VERSION}`, () => {
  test("the installed client is the pinned version", async () => {
    const version = await runCodex(real, makeTempHome(), trap.url, ["--version"]);
    assert.equal(version.code, 0, describeRun(version));
    assert.match(version.stdout, new RegExp(`codex-cli ${CODEX_VERSION.replaceAll(".", "\\.")}`));
  });

  test("a Codex home with the CLI's lock files: refreshed by us, still logged in, lock files untouched", async () => {
    const { home, authPath, before } = expiredLogin("rt_interop_codex_locks");
    createCodexLocks(home.codexHome);
    const locksBefore = CODEX_LOCKS.map((lock) => fileFacts(join(home.codexHome, lock.name)));
    const listingBefore = readdirSync(home.codexHome).sort();

    const run = await runCli(["--refresh-only", "--json", "--auth", authPath, "--refresh-url", backend.refreshUrl], { home });
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as { refreshed: boolean; auth_path: string };
    assert.equal(summary.refreshed, true);
    assert.equal(summary.auth_path, authPath);

    assert.deepEqual(CODEX_LOCKS.map((lock) => fileFacts(join(home.codexHome, lock.name))), locksBefore, "auth.lock / auth.json.lock: same inode, size, mode, mtime, ctime");
    assert.deepEqual(readdirSync(home.codexHome).sort(), listingBefore, "no file left behind (our own lock and temp file are gone)");
    assertRefreshedLikeCodex(authPath, before, "rt_interop_codex_locks");

    await assertCodexLoggedIn(home);
    assert.deepEqual(trap.attempts, [], "the real client tried to reach the internet");
  });

  test("a Codex home without lock files: found through CODEX_HOME, refreshed, still logged in, and no lock file appears", async () => {
    const { home, authPath, before } = expiredLogin("rt_interop_codex_nolocks");

    const run = await runCli(["--refresh-only", "--json", "--refresh-url", backend.refreshUrl], { home });
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { auth_path: string }).auth_path, authPath);

    for (const lock of CODEX_LOCKS) assert.equal(fileFacts(join(home.codexHome, lock.name)), null, `${lock.name} must not be created`);
    assert.deepEqual(readdirSync(home.codexHome), ["auth.json"]);
    assertRefreshedLikeCodex(authPath, before, "rt_interop_codex_nolocks");

    await assertCodexLoggedIn(home);
    assert.deepEqual(trap.attempts, [], "the real client tried to reach the internet");
  });

  test("control: `codex login status` does reject a file it cannot parse (so the checks above can fail)", async () => {
    const home = makeTempHome();
    writeCodexCliAuth(home.codexHome, { idToken: "not-a-jwt", access: makeJwt({ expSeconds: 3600 }), refresh: "rt_control", accountId: ACCOUNT });
    const status = await runCodex(real, home, trap.url, ["login", "status"]);
    assert.notEqual(status.code, 0, describeRun(status));
    assert.doesNotMatch(status.stdout + status.stderr, /Logged in using ChatGPT/);
  });
});
