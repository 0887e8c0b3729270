import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { authSources, discoverCredential } from "../../src/auth/discover.js";
import { AuthError } from "../../src/errors.js";
import type { AuthOptions } from "../../src/options.js";
import { makeJwt, writeCodexAuth, writeOpenClawProfiles } from "../support/tokens.js";

describe("authSources (discovery order with SQLite, no disk access)", () => {
  const H = "/h";
  const paths = (env: Record<string, string>, authFile?: string) =>
    authSources({ env, homeDir: H, ...(authFile === undefined ? {} : { authFile }) }).map((s) => s.path);
  const shared = "/h/.openclaw/state/openclaw.sqlite";
  const defaults = [shared, "/h/.openclaw/agents/main/agent/auth-profiles.json", "/h/.openclaw/agents/main/agent/auth.json", "/h/.openclaw/credentials/oauth.json", "/h/.codex/auth.json"];

  const cases: Array<[string, Record<string, string>, string | undefined, string[]]> = [
    ["nothing set: shared SQLite store, OpenClaw main agent, credentials, ~/.codex", {}, undefined, defaults],
    ["--auth alone, nothing else", { CODEX_AUTH_JSON: "/e/c.json", CODEX_HOME: "/ch" }, "/x/mine.sqlite", ["/x/mine.sqlite"]],
    ["empty variables count as unset", { CODEX_IMAGEN_AUTH_JSON: "", OPENCLAW_AGENT_DIR: "", OPENCLAW_STATE_DIR: "", CODEX_HOME: "" }, undefined, defaults],
    [
      "everything set, in spec order: agent SQLite before its JSON, shared SQLite before the main agent's JSON",
      {
        CODEX_AUTH_JSON: "/e/3.json",
        OPENCLAW_CODEX_AUTH_JSON: "/e/2.json",
        CODEX_IMAGEN_AUTH_JSON: "/e/1.json",
        OPENCLAW_AGENT_DIR: "/agent",
        OPENCLAW_STATE_DIR: "/state",
        CODEX_HOME: "/ch",
      },
      undefined,
      [
        "/e/1.json",
        "/e/2.json",
        "/e/3.json",
        "/agent/openclaw-agent.sqlite",
        "/agent/auth-profiles.json",
        "/agent/auth.json",
        "/state/state/openclaw.sqlite",
        "/state/agents/main/agent/auth-profiles.json",
        "/state/agents/main/agent/auth.json",
        "/state/credentials/oauth.json",
        "/ch/auth.json",
        "/h/.codex/auth.json",
      ],
    ],
    ["PI_CODING_AGENT_DIR when OPENCLAW_AGENT_DIR is unset", { PI_CODING_AGENT_DIR: "/pi" }, undefined, ["/pi/openclaw-agent.sqlite", "/pi/auth-profiles.json", "/pi/auth.json", ...defaults]],
    ["OPENCLAW_AGENT_DIR wins over PI_CODING_AGENT_DIR", { PI_CODING_AGENT_DIR: "/pi", OPENCLAW_AGENT_DIR: "/oc" }, undefined, ["/oc/openclaw-agent.sqlite", "/oc/auth-profiles.json", "/oc/auth.json", ...defaults]],
    ["OPENCLAW_OAUTH_DIR replaces credentials/", { OPENCLAW_OAUTH_DIR: "/oauth" }, undefined, [...defaults.slice(0, 3), "/oauth/oauth.json", defaults[4]!]],
    ["the same file is listed once", { CODEX_HOME: "/h/.codex", CODEX_AUTH_JSON: "/h/.codex/auth.json" }, undefined, ["/h/.codex/auth.json", ...defaults.slice(0, 4)]],
    [
      "the main agent as OPENCLAW_AGENT_DIR: its database is read once, as the agent's",
      { OPENCLAW_AGENT_DIR: "/h/.openclaw/agents/main/agent" },
      undefined,
      ["/h/.openclaw/agents/main/agent/openclaw-agent.sqlite", ...defaults.slice(1)],
    ],
  ];
  for (const [name, env, authFile, expected] of cases) it(name, () => assert.deepEqual(paths(env, authFile), expected));

  it("SQLite sources read the agent's database over the state dir's shared store", () => {
    const sources = authSources({ env: { OPENCLAW_AGENT_DIR: "/agent", OPENCLAW_STATE_DIR: "/state" }, homeDir: H });
    assert.deepEqual(
      sources.filter((s) => s.sqlite !== undefined).map((s) => [s.origin, s.sqlite]),
      [
        ["$OPENCLAW_AGENT_DIR", { agentDb: "/agent/openclaw-agent.sqlite", stateDir: "/state" }],
        ["OpenClaw shared store", { agentDb: null, stateDir: "/state" }],
      ],
    );
  });

  it("only --auth is explicit", () => {
    assert.deepEqual(authSources({ env: {}, homeDir: H, authFile: "/a.json" }).map((s) => s.explicit), [true]);
    assert.ok(authSources({ env: {}, homeDir: H }).every((s) => !s.explicit));
  });
});

describe("discoverCredential (which file wins)", async () => {
  const root = await mkdtemp(join(tmpdir(), "auth-discover-"));
  after(() => rm(root, { recursive: true, force: true }));
  let n = 0;
  const secrets: string[] = [];
  const fresh = (accountId: string) => {
    const access = makeJwt({ expSeconds: 3600, accountId });
    secrets.push(access);
    return access;
  };

  /** A temp home; `files` maps a role to content ("codex", "openclaw", or raw text). */
  async function world(files: Record<string, "codex" | "codex-no-account" | "openclaw" | string>) {
    const home = join(root, String((n += 1)));
    const where: Record<string, string> = {
      env: join(home, "env", "auth.json"),
      agent: join(home, "agent", "auth-profiles.json"),
      main: join(home, ".openclaw", "agents", "main", "agent", "auth-profiles.json"),
      codexHome: join(home, "codex-home", "auth.json"),
      codex: join(home, ".codex", "auth.json"),
    };
    for (const [role, content] of Object.entries(files)) {
      const path = where[role]!;
      if (content === "codex") writeCodexAuth(dirname(path), { access: fresh(`acct-${role}`), refresh: `rt-${role}-secret` });
      else if (content === "codex-no-account") writeCodexAuth(dirname(path), { access: makeJwt({ expSeconds: 3600 }), refresh: "rt-x-secret" });
      else if (content === "openclaw") writeOpenClawProfiles(dirname(path), { "openai-codex:default": { access: fresh(`acct-${role}`), refresh: `rt-${role}-secret` } });
      else {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, content);
      }
    }
    const options = (extra: Partial<AuthOptions> = {}): AuthOptions => ({
      refreshMode: "auto",
      refreshUrl: "http://127.0.0.1:9/oauth/token",
      env: { CODEX_IMAGEN_AUTH_JSON: where.env, OPENCLAW_AGENT_DIR: dirname(where.agent!), CODEX_HOME: dirname(where.codexHome!) },
      homeDir: home,
      ...extra,
    });
    return { where, options };
  }

  const cases: Array<[string, Record<string, string>, string]> = [
    ["env file first", { env: "codex", agent: "openclaw", codex: "codex" }, "env"],
    ["agent dir before the main agent", { agent: "openclaw", main: "openclaw", codex: "codex" }, "agent"],
    ["OpenClaw main agent before CODEX_HOME", { main: "openclaw", codexHome: "codex" }, "main"],
    ["CODEX_HOME before ~/.codex", { codexHome: "codex", codex: "codex" }, "codexHome"],
    ["~/.codex last", { codex: "codex" }, "codex"],
    ["unparseable and account-less sources are skipped", { env: "{ truncated", agent: "", main: "codex-no-account", codex: "codex" }, "codex"],
  ];
  for (const [name, files, winner] of cases) {
    it(name, async () => {
      const { where, options } = await world(files);
      const found = await discoverCredential(options(), Date.now());
      assert.equal(found.store.path, where[winner]);
      assert.equal(found.credential.accountId, `acct-${winner}`);
    });
  }

  it("--auth is never skipped: its problem is the error, even when other logins exist", async () => {
    const { where, options } = await world({ env: `{"tokens": {"access_token": "${fresh("acct-cut")}`, codex: "codex" });
    const before = await readFile(where.env!);
    await assert.rejects(discoverCredential(options({ authFile: where.env }), Date.now()), (e: unknown) => {
      assert.ok(e instanceof AuthError);
      assert.equal(e.code, "auth_missing");
      assert.match(e.message, new RegExp(`--auth ${where.env} is not valid JSON`));
      assert.match(e.message, /codex login/);
      return true;
    });
    assert.deepEqual(await readFile(where.env!), before, "a broken file is never written");
  });

  it("--auth without an account id says so", async () => {
    const { where, options } = await world({ codex: "codex-no-account" });
    await assert.rejects(discoverCredential(options({ authFile: where.codex }), Date.now()), /has no ChatGPT account id.*`codex login`/);
  });

  it("no credentials at all: auth_missing listing every source, why, and the login commands", async () => {
    const { where, options } = await world({ env: "", main: "[]", codex: "codex-no-account" });
    const error = await discoverCredential(options(), Date.now()).catch((e: unknown) => e);
    assert.ok(error instanceof AuthError);
    assert.equal(error.code, "auth_missing");
    for (const [role, why] of [
      ["env", "is empty"],
      ["agent", "does not exist"],
      ["main", "is not a JSON object"],
      ["codexHome", "does not exist"],
      ["codex", "has no ChatGPT account id"],
    ] as const) {
      assert.ok(error.message.includes(`${where[role]} (`) && error.message.includes(why), `${role}: ${why}\n${error.message}`);
    }
    assert.match(error.message, /`codex login`.*`openclaw models auth login --provider openai-codex`/);
  });

  it("expired logins without a refresh token: auth_expired; with --no-refresh it says so", async () => {
    const { where, options } = await world({});
    const expired = makeJwt({ expSeconds: -60, accountId: "acct-old" });
    writeOpenClawProfiles(dirname(where.main!), { "openai-codex:default": { access: expired, refresh: "" } });
    await assert.rejects(discoverCredential(options(), Date.now()), (e: unknown) => e instanceof AuthError && e.code === "auth_expired" && /no refresh token/.test(e.message));

    writeCodexAuth(dirname(where.codex!), { access: expired, refresh: "rt-still-here" });
    await discoverCredential(options(), Date.now());
    await assert.rejects(
      discoverCredential(options({ refreshMode: "never" }), Date.now()),
      (e: unknown) => e instanceof AuthError && e.code === "auth_expired" && /drop --no-refresh/.test(e.message),
    );
  });

  it("no error message contains a token", async () => {
    const { where, options } = await world({ env: "codex-no-account", main: "{", codex: "" });
    const texts: string[] = [];
    for (const o of [options(), options({ authFile: where.env }), options({ authFile: where.main }), options({ authFile: where.codex })]) {
      texts.push(await discoverCredential(o, Date.now()).then(() => "", (e: unknown) => (e instanceof Error ? e.message : String(e))));
    }
    assert.ok(texts.every((t) => t !== ""));
    const files = await Promise.all(Object.values(where).map((p) => readFile(p, "utf8").catch(() => "")));
    const tokens = [...secrets, ...files.flatMap((f) => f.match(/eyJ[\w-]+\.[\w-]+\.[\w-]*|rt-[\w-]+/g) ?? [])];
    for (const text of texts) for (const token of tokens) assert.ok(!text.includes(token), `token leaked in: ${text}`);
  });
});
