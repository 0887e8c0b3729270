/** Fake OpenAI tokens and credential files for tests (never real tokens, never the real home). */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { decodeJwtClaims } from "../../src/auth/jwt.js";

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * An unsigned 3-part JWT. `expSeconds` is seconds from now (negative = already expired); a value
 * above 1e9 is taken as an absolute epoch time. Each call gives a distinct token.
 */
export function makeJwt(claims: { expSeconds: number; accountId?: string; email?: string; extra?: Record<string, unknown> }): string {
  const exp = claims.expSeconds > 1e9 ? claims.expSeconds : Math.floor(Date.now() / 1000) + claims.expSeconds;
  const payload = {
    exp,
    jti: randomBytes(8).toString("hex"),
    ...(claims.accountId === undefined ? {} : { "https://api.openai.com/auth": { chatgpt_account_id: claims.accountId, chatgpt_plan_type: "plus" } }),
    ...(claims.email === undefined ? {} : { email: claims.email }),
    ...claims.extra,
  };
  return `${b64url({ alg: "none", typ: "JWT" })}.${b64url(payload)}.${Buffer.from("unsigned").toString("base64url")}`;
}

function writeSecretJson(path: string, value: unknown): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 2), { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

/** Writes `<dir>/auth.json` as the Codex CLI does (account id omitted when not given); returns its path. */
export function writeCodexAuth(dir: string, opts: { access: string; refresh: string; accountId?: string }): string {
  return writeSecretJson(join(dir, "auth.json"), {
    OPENAI_API_KEY: null,
    auth_mode: "chatgpt",
    tokens: {
      id_token: makeJwt({ expSeconds: 3600, email: "user@example.com" }),
      access_token: opts.access,
      refresh_token: opts.refresh,
      ...(opts.accountId === undefined ? {} : { account_id: opts.accountId }),
    },
    last_refresh: new Date().toISOString(),
  });
}

export interface TestProfile {
  access: string;
  refresh: string;
  /** ms since the epoch; defaults to the access token's `exp`. */
  expires?: number;
  accountId?: string;
  email?: string;
  /** Default `openai-codex`. */
  provider?: string;
  /** Default `oauth`. */
  type?: string;
}

/** Writes `<dir>/auth-profiles.json` as OpenClaw (≤ 2026.5) does; returns its path. */
export function writeOpenClawProfiles(dir: string, profiles: Record<string, TestProfile>): string {
  const entries = Object.entries(profiles).map(([id, p]) => [
    id,
    {
      type: p.type ?? "oauth",
      provider: p.provider ?? "openai-codex",
      access: p.access,
      refresh: p.refresh,
      expires: p.expires ?? decodeJwtClaims(p.access).expiresAtMs ?? Date.now() + 3_600_000,
      ...(p.accountId === undefined ? {} : { accountId: p.accountId }),
      ...(p.email === undefined ? {} : { email: p.email }),
    },
  ]);
  return writeSecretJson(join(dir, "auth-profiles.json"), { version: 1, profiles: Object.fromEntries(entries) });
}
