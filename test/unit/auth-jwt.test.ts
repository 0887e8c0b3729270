import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeJwtClaims } from "../../src/auth/jwt.js";
import { parseLenientJson } from "../../src/auth/lenient-json.js";
import { makeJwt } from "../support/tokens.js";

describe("decodeJwtClaims", () => {
  it("reads exp, account id, plan and email", () => {
    const token = makeJwt({ expSeconds: 1_900_000_000, accountId: "acct-1", email: "a@example.com" });
    assert.deepEqual(decodeJwtClaims(token), { expiresAtMs: 1_900_000_000_000, accountId: "acct-1", planType: "plus", email: "a@example.com" });
  });

  it("falls back to the profile claim's email", () => {
    const token = makeJwt({ expSeconds: 60, extra: { "https://api.openai.com/profile": { email: "p@example.com" } } });
    assert.equal(decodeJwtClaims(token).email, "p@example.com");
  });

  it("gives empty claims for tokens it cannot read, and ignores claims of the wrong type", () => {
    const empty = { expiresAtMs: null, accountId: null, planType: null, email: null };
    for (const bad of [undefined, null, "", "opaque-token", "a.!!!.c", `a.${Buffer.from("[1]").toString("base64url")}.c`]) {
      assert.deepEqual(decodeJwtClaims(bad), empty, String(bad));
    }
    const wrongTypes = makeJwt({ expSeconds: 60, extra: { exp: "soon", "https://api.openai.com/auth": { chatgpt_account_id: 7 } } });
    assert.deepEqual(decodeJwtClaims(wrongTypes), empty);
  });
});

describe("parseLenientJson (openclaw.json)", () => {
  it("accepts comments, trailing commas, bare keys and single quotes", () => {
    const text = `// OpenClaw config
{
  auth: {
    /* preferred first */
    order: { 'openai-codex': ['openai-codex:work', "openai-codex:default",], },
    "url": "http://x//not-a-comment",
  },
}`;
    assert.deepEqual(parseLenientJson(text), {
      auth: { order: { "openai-codex": ["openai-codex:work", "openai-codex:default"] }, url: "http://x//not-a-comment" },
    });
  });

  it("returns undefined for text that is not JSON5-ish", () => {
    assert.equal(parseLenientJson("{ auth: "), undefined);
  });
});
