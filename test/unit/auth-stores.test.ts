import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { findCredential, loadStore, writeTokens } from "../../src/auth/store.js";
import { CredentialProblem, type NewTokens } from "../../src/auth/stores/types.js";
import { makeJwt } from "../support/tokens.js";

const root = await mkdtemp(join(tmpdir(), "auth-stores-"));
after(() => rm(root, { recursive: true, force: true }));
let counter = 0;

async function file(name: string, content: unknown, mode = 0o600): Promise<string> {
  const dir = join(root, String((counter += 1)));
  await mkdir(dir);
  const path = join(dir, name);
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content, null, 2), { mode });
  await chmod(path, mode);
  return path;
}

const access = makeJwt({ expSeconds: 1_900_000_000, accountId: "acct-claims", email: "claims@example.com" });
const newTokens = (accountId = "acct-new"): NewTokens => ({
  access: makeJwt({ expSeconds: 1_950_000_000, accountId }),
  refresh: "rt-new",
  idToken: null,
  expiresAtMs: 1_950_000_000_000,
});

describe("reading stores (format detected by content)", () => {
  it("Codex auth.json: account id from the file, email from the id token", async () => {
    const path = await file("whatever.json", {
      auth_mode: "chatgpt",
      tokens: { access_token: access, refresh_token: "rt-1", account_id: "acct-file", id_token: makeJwt({ expSeconds: 60, email: "id@example.com" }) },
      last_refresh: "2026-11-24T10:00:00.000Z",
    });
    const store = await loadStore(path);
    assert.equal(store.format, "codex-auth-json");
    assert.deepEqual(store.credentials, [
      {
        profileId: null,
        provider: null,
        access,
        refresh: "rt-1",
        accountId: "acct-file",
        email: "id@example.com",
        expiresAtMs: 1_900_000_000_000,
        lastRefresh: "2026-11-24T10:00:00.000Z",
      },
    ]);
  });

  it("Codex auth.json without account_id takes it from the access token's claims", async () => {
    const store = await loadStore(await file("auth.json", { tokens: { access_token: access, refresh_token: "rt" } }));
    assert.equal(store.credentials[0]?.accountId, "acct-claims");
  });

  it("Codex API-key login has no tokens", async () => {
    const store = await loadStore(await file("auth.json", { OPENAI_API_KEY: "sk-x", tokens: null }));
    assert.equal(store.credentials[0]?.access, null);
    assert.equal(store.credentials[0]?.refresh, null);
  });

  it("OpenClaw auth-profiles.json keeps only OpenAI OAuth profiles", async () => {
    const path = await file("auth-profiles.json", {
      version: 1,
      profiles: {
        "openai-codex:default": { type: "oauth", provider: "openai-codex", access, refresh: "rt-a", expires: 1_800_000_000_000, accountId: "acct-a", email: "a@example.com" },
        "openai:new": { type: "oauth", provider: "openai", access, refresh: "rt-b" },
        "openai:key": { type: "api_key", provider: "openai", key: "sk-123" },
        "anthropic:default": { type: "oauth", provider: "anthropic", access: "x", refresh: "y" },
      },
    });
    const store = await loadStore(path);
    assert.equal(store.format, "openclaw-auth-profiles");
    assert.deepEqual(
      store.credentials.map((c) => [c.profileId, c.provider, c.accountId, c.email, c.expiresAtMs]),
      [
        ["openai-codex:default", "openai-codex", "acct-a", "a@example.com", 1_800_000_000_000],
        ["openai:new", "openai", "acct-claims", "claims@example.com", 1_900_000_000_000],
      ],
    );
  });

  it("flat OpenClaw files: auth.json → legacy, oauth.json → oauth-json, both field spellings", async () => {
    const legacy = await loadStore(await file("auth.json", { "openai-codex": { access, refresh: "rt", expires: 1_700_000_000_000, accountId: "acct-l" } }));
    assert.equal(legacy.format, "openclaw-legacy-auth-json");
    assert.deepEqual([legacy.credentials[0]?.provider, legacy.credentials[0]?.accountId, legacy.credentials[0]?.expiresAtMs], ["openai-codex", "acct-l", 1_700_000_000_000]);

    const oauth = await loadStore(await file("oauth.json", { openai: { access_token: access, refresh_token: "rt-o" }, anthropic: { access: "x" } }));
    assert.equal(oauth.format, "openclaw-oauth-json");
    assert.deepEqual(oauth.credentials.map((c) => [c.provider, c.access, c.refresh]), [["openai", access, "rt-o"]]);
  });

  const problems: Array<[string, string, RegExp]> = [
    ["empty", "", /is empty/],
    ["whitespace", "  \n", /is empty/],
    ["truncated", `{"tokens": {"access_token": "${access}`, /is not valid JSON/],
    ["not JSON", "hello", /is not valid JSON/],
    ["array", "[1]", /is not a JSON object/],
    ["unrelated JSON", `{"theme": "dark"}`, /not a Codex CLI or OpenClaw credential file/],
  ];
  for (const [name, content, message] of problems) {
    it(`a ${name} file is a clear problem that never quotes the content`, async () => {
      const error = await loadStore(await file("auth.json", content)).catch((e: unknown) => e);
      assert.ok(error instanceof CredentialProblem);
      assert.match(error.message, message);
      assert.ok(!error.message.includes(access.slice(0, 20)));
    });
  }

  it("a missing file is 'does not exist'", async () => {
    await assert.rejects(loadStore(join(root, "nope", "auth.json")), /does not exist/);
  });
});

describe("writing tokens back", () => {
  it("Codex: new tokens and last_refresh, unknown fields and key order kept, mode kept", async () => {
    const original = {
      OPENAI_API_KEY: null,
      auth_mode: "chatgpt",
      tokens: { id_token: "keep-id", access_token: access, refresh_token: "rt-old", account_id: "acct-file", future_field: 1 },
      last_refresh: "2026-01-01T00:00:00Z",
      extra: { nested: [1, 2] },
    };
    const path = await file("auth.json", original, 0o640);
    const store = await loadStore(path);
    const tokens = newTokens();
    const now = new Date("2026-11-24T10:00:00.123Z");
    const updated = await writeTokens(store, store.credentials[0]!, tokens, now);

    const text = await readFile(path, "utf8");
    assert.deepEqual(JSON.parse(text), {
      ...original,
      tokens: { ...original.tokens, access_token: tokens.access, refresh_token: "rt-new" },
      last_refresh: "2026-11-24T10:00:00.123Z",
    });
    assert.deepEqual(Object.keys(JSON.parse(text) as object), Object.keys(original));
    assert.equal(text.endsWith("\n"), false);
    assert.equal((await stat(path)).mode & 0o777, 0o640);
    assert.equal(findCredential(updated, store.credentials[0]!)?.access, tokens.access);
    assert.deepEqual(await readdir(join(path, "..")), ["auth.json"], "no temp file left behind");
  });

  it("Codex: account_id is filled from the new token when the file had none", async () => {
    const path = await file("auth.json", { tokens: { access_token: access, refresh_token: "rt" } });
    const store = await loadStore(path);
    await writeTokens(store, store.credentials[0]!, newTokens("acct-fresh"), new Date());
    const json = JSON.parse(await readFile(path, "utf8")) as { tokens: Record<string, unknown> };
    assert.equal(json.tokens.account_id, "acct-fresh");
  });

  it("OpenClaw profiles: only the refreshed profile changes; trailing newline kept", async () => {
    const other = { type: "oauth", provider: "openai-codex", access: "other-access", refresh: "other-rt", expires: 1, accountId: "acct-o", note: "x" };
    const original = {
      version: 1,
      profiles: {
        "openai-codex:a": { type: "oauth", provider: "openai-codex", access, refresh: "rt-a", expires: 1, accountId: "acct-a", email: "a@example.com", custom: true },
        "openai-codex:b": other,
      },
      usage: { keep: "me" },
    };
    const path = await file("auth-profiles.json", JSON.stringify(original, null, 2) + "\n");
    const store = await loadStore(path);
    const ref = store.credentials.find((c) => c.profileId === "openai-codex:a")!;
    const tokens = newTokens();
    await writeTokens(store, ref, tokens, new Date());
    const text = await readFile(path, "utf8");
    assert.ok(text.endsWith("}\n"));
    assert.deepEqual(JSON.parse(text), {
      ...original,
      profiles: {
        // Like OpenClaw, the account id is taken from the new token (the email too, when it has one).
        "openai-codex:a": { ...original.profiles["openai-codex:a"], access: tokens.access, refresh: "rt-new", expires: 1_950_000_000_000, accountId: "acct-new" },
        "openai-codex:b": other,
      },
    });
  });

  it("flat file: written under the field names the file uses; refresh kept when not rotated", async () => {
    const path = await file("oauth.json", { openai: { access_token: access, refresh_token: "rt-keep", accountId: "acct-f" }, other: 1 });
    const store = await loadStore(path);
    const tokens = { ...newTokens(), refresh: null };
    await writeTokens(store, store.credentials[0]!, tokens, new Date());
    assert.deepEqual(JSON.parse(await readFile(path, "utf8")), {
      openai: { access_token: tokens.access, refresh_token: "rt-keep", accountId: "acct-new", expires: 1_950_000_000_000 },
      other: 1,
    });
  });
});
