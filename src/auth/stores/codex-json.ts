/** The Codex CLI's `auth.json`: one ChatGPT login under `tokens`. */
import { z } from "zod";
import { decodeJwtClaims } from "../jwt.js";
import { isRecord, type NewTokens, type StoredCredential } from "./types.js";

const optionalString = z.string().min(1).optional().catch(undefined);

export const CodexAuthSchema = z.looseObject({
  tokens: z
    .looseObject({
      access_token: optionalString,
      refresh_token: optionalString,
      id_token: optionalString,
      account_id: optionalString,
    })
    .nullish()
    .catch(undefined),
  last_refresh: optionalString,
});

export function isCodexAuth(json: Record<string, unknown>): boolean {
  return "tokens" in json || "auth_mode" in json || "OPENAI_API_KEY" in json;
}

export function readCodexAuth(json: Record<string, unknown>): StoredCredential {
  const doc = CodexAuthSchema.parse(json);
  const tokens = doc.tokens ?? {};
  const access = decodeJwtClaims(tokens.access_token);
  const id = decodeJwtClaims(tokens.id_token);
  return {
    profileId: null,
    provider: null,
    access: tokens.access_token ?? null,
    refresh: tokens.refresh_token ?? null,
    accountId: tokens.account_id ?? access.accountId ?? id.accountId,
    email: id.email ?? access.email,
    expiresAtMs: access.expiresAtMs,
    lastRefresh: doc.last_refresh ?? null,
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
