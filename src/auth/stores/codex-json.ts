/** The Codex CLI's `auth.json`: one ChatGPT login under `tokens`. */
import { object, text } from "../fields.js";
import { decodeJwtClaims } from "../jwt.js";
import { isRecord, type NewTokens, type StoredCredential } from "./types.js";

export function isCodexAuth(json: Record<string, unknown>): boolean {
  return "tokens" in json || "auth_mode" in json || "OPENAI_API_KEY" in json;
}

export function readCodexAuth(json: Record<string, unknown>): StoredCredential {
  const tokens = object(json.tokens) ?? {};
  const accessToken = text(tokens.access_token);
  const access = decodeJwtClaims(accessToken);
  const id = decodeJwtClaims(text(tokens.id_token));
  return {
    profileId: null,
    provider: null,
    access: accessToken ?? null,
    refresh: text(tokens.refresh_token) ?? null,
    accountId: text(tokens.account_id) ?? access.accountId ?? id.accountId,
    email: id.email ?? access.email,
    expiresAtMs: access.expiresAtMs,
    lastRefresh: text(json.last_refresh) ?? null,
  };
}

/** New tokens and `last_refresh`; every other field stays where it was. */
export function writeCodexTokens(json: Record<string, unknown>, tokens: NewTokens, now: Date): Record<string, unknown> {
  const old = isRecord(json.tokens) ? json.tokens : {};
  const accountId = typeof old.account_id === "string" && old.account_id !== "" ? old.account_id : decodeJwtClaims(tokens.access).accountId;
  return {
    ...json,
    tokens: {
      ...old,
      access_token: tokens.access,
      ...(tokens.refresh === null ? {} : { refresh_token: tokens.refresh }),
      ...(tokens.idToken === null ? {} : { id_token: tokens.idToken }),
      ...(accountId === null ? {} : { account_id: accountId }),
    },
    last_refresh: now.toISOString(),
  };
}
