import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { discoverCredential } from "../../src/auth/discover.js";
import { preferredProfileIds, selectProfile, type ProfileHints } from "../../src/auth/select.js";
import { CredentialProblem, type StoredCredential } from "../../src/auth/stores/types.js";
import type { AuthOptions } from "../../src/options.js";
import { makeJwt, writeOpenClawProfiles, type TestProfile } from "../support/tokens.js";

describe("preferredProfileIds", () => {
  const state = {
    order: { "openai-codex": ["s1"], openai: ["s2"] },
    lastGood: { "openai-codex": "good" },
  };
  const config = {
    auth: {
      order: { "openai-codex": ["c1"] },
      profiles: { p1: { provider: "openai-codex" }, other: { provider: "anthropic" }, p2: { provider: "openai" } },
    },
  };

  it("inside the state dir: state order, config order, configured profiles, lastGood", () => {
    assert.deepEqual(preferredProfileIds(state, config, true), ["s1", "s2", "c1", "p1", "p2", "good"]);
  });

  it("outside the state dir: config never counts; <provider>:default before the best", () => {
    assert.deepEqual(preferredProfileIds(state, config, false), ["s1", "s2", "good", "openai-codex:default", "openai:default"]);
  });

  it("works with nothing known", () => {
    assert.deepEqual(preferredProfileIds(undefined, undefined, true), []);
  });
});

describe("selectProfile", () => {
  const profile = (id: string, expiresAtMs: number, usable = true): StoredCredential => ({
    profileId: id,
    provider: "openai-codex",
    access: "a",
    refresh: usable ? "r" : null,
    accountId: "acct",
    email: null,
    expiresAtMs,
    lastRefresh: null,
  });
  const profiles = [profile("x", 1000), profile("y", 3000), profile("z", 2000), profile("dead", 9000, false)];
  const problemOf = (c: StoredCredential) => (c.refresh === null ? new CredentialProblem("auth_expired", "has no refresh token") : null);
  const pick = (hints: Partial<ProfileHints>) => selectProfile(profiles, { requested: undefined, preferred: [], ...hints }, problemOf).profileId;

  const cases: Array<[string, Partial<ProfileHints>, string]> = [
    ["no hints → latest expiry among usable", {}, "y"],
    ["first preferred that exists and is usable", { preferred: ["missing", "dead", "z", "x"] }, "z"],
    ["requested wins over preferred", { requested: { id: "x", origin: "--auth-profile" }, preferred: ["z"] }, "x"],
  ];
  for (const [name, hints, expected] of cases) it(name, () => assert.equal(pick(hints), expected));

  it("a requested profile that does not exist names the ones that do", () => {
    assert.throws(
      () => pick({ requested: { id: "work", origin: "$OPENCLAW_AUTH_PROFILE" } }),
      (e: unknown) => e instanceof CredentialProblem && e.code === "auth_missing" && /"work".*\$OPENCLAW_AUTH_PROFILE.*"x", "y", "z", "dead"/.test(e.message),
    );
  });

  it("a requested but unusable profile is an error, not a silent switch", () => {
    assert.throws(() => pick({ requested: { id: "dead", origin: "--auth-profile" } }), /profile "dead" has no refresh token/);
  });

  it("no usable profile explains each one", () => {
    assert.throws(
      () => selectProfile([profile("dead", 1, false)], { requested: undefined, preferred: [] }, problemOf),
      (e: unknown) => e instanceof CredentialProblem && e.code === "auth_expired" && /"dead" has no refresh token/.test(e.message),
    );
  });
});

describe("profile selection from files", () => {
  const root = mkdtempSync(join(tmpdir(), "auth-select-"));
  after(() => rm(root, { recursive: true, force: true }));
  const fresh = (accountId: string, hours = 1): TestProfile => ({ access: makeJwt({ expSeconds: hours * 3600, accountId }), refresh: `rt-${accountId}`, accountId });
  const profiles = { "openai-codex:default": fresh("acct-default", 1), "openai-codex:work": fresh("acct-work", 2), "openai-codex:late": fresh("acct-late", 5) };

  async function setup(name: string): Promise<{ home: string; state: string; agent: string; options: (extra?: Partial<AuthOptions>) => AuthOptions }> {
    const home = join(root, name);
    const state = join(home, ".openclaw");
    const agent = join(state, "agents", "main", "agent");
    await mkdir(agent, { recursive: true });
    const options = (extra: Partial<AuthOptions> = {}): AuthOptions => ({ refreshMode: "never", refreshUrl: "http://127.0.0.1:9/", env: {}, homeDir: home, ...extra });
    return { home, state, agent, options };
  }
  const chosen = async (options: AuthOptions) => (await discoverCredential(options, Date.now())).credential.profileId;

  it("in the state dir: openclaw.json (JSON5) order beats lastGood; auth-state order beats both", async () => {
    const { state, agent, options } = await setup("inside");
    writeOpenClawProfiles(agent, profiles);
    assert.equal(await chosen(options()), "openai-codex:late", "best usable without hints");
    await writeFile(join(agent, "auth-state.json"), JSON.stringify({ lastGood: { "openai-codex": "openai-codex:default" } }));
    assert.equal(await chosen(options()), "openai-codex:default");
    await writeFile(join(state, "openclaw.json"), `{ // comment\n auth: { order: { "openai-codex": ["openai-codex:work",], }, }, }`);
    assert.equal(await chosen(options()), "openai-codex:work");
    await writeFile(join(agent, "auth-state.json"), JSON.stringify({ order: { "openai-codex": ["openai-codex:late"] } }));
    assert.equal(await chosen(options()), "openai-codex:late");
    assert.equal(await chosen(options({ env: { OPENCLAW_AUTH_PROFILE: "openai-codex:default" } })), "openai-codex:default");
    assert.equal(await chosen(options({ profile: "openai-codex:work", env: { OPENCLAW_AUTH_PROFILE: "openai-codex:default" } })), "openai-codex:work");
  });

  it("outside the state dir (--auth): unrelated openclaw.json is ignored, <provider>:default is preferred", async () => {
    const { home, state, options } = await setup("outside");
    await writeFile(join(state, "openclaw.json"), JSON.stringify({ auth: { order: { "openai-codex": ["openai-codex:work"] } } }));
    const authFile = writeOpenClawProfiles(join(home, "elsewhere"), profiles);
    assert.equal(await chosen(options({ authFile })), "openai-codex:default");
  });

  it("--auth with a profile that does not exist fails, naming the profiles", async () => {
    const { home, options } = await setup("missing-profile");
    const authFile = writeOpenClawProfiles(join(home, "x"), profiles);
    await assert.rejects(discoverCredential(options({ authFile, profile: "openai-codex:nope" }), Date.now()), (e: unknown) => {
      assert.ok(e instanceof Error && "code" in e);
      assert.equal(e.code, "auth_missing");
      assert.match(e.message, /"openai-codex:nope".*--auth-profile.*"openai-codex:default", "openai-codex:work", "openai-codex:late"/);
      assert.match(e.message, /openclaw models auth login --provider openai-codex/);
      return true;
    });
  });
});
