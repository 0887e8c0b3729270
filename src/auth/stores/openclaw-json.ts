/** OpenClaw's JSON-era stores: `auth-profiles.json`, and the flat single-credential `auth.json` / `oauth.json`. */
import { finiteNumber, object, text, type JsonObject } from "../fields.js";
import { decodeJwtClaims } from "../jwt.js";
import { profileFence } from "./fence.js";
import { OPENAI_PROVIDERS, isRecord, type NewTokens, type StoredCredential } from "./types.js";

const isOpenAiProvider = (provider: string | undefined): provider is string =>
  (OPENAI_PROVIDERS as readonly string[]).includes(provider ?? "");

export function isOpenClawProfiles(json: Record<string, unknown>): boolean {
  return isRecord(json.profiles);
}

export function isOpenClawFlat(json: Record<string, unknown>): boolean {
  return OPENAI_PROVIDERS.some((provider) => isRecord(json[provider]));
}

/** The fields every OpenClaw credential may carry beside its tokens (`expires` in ms). */
function identity(entry: JsonObject): { expires?: number; accountId?: string; email?: string } {
  return { expires: finiteNumber(entry.expires), accountId: text(entry.accountId), email: text(entry.email) };
}

function credential(
  profileId: string | null,
  provider: string,
  fields: { access?: string; refresh?: string; expires?: number; accountId?: string; email?: string },
): StoredCredential {
  // A fence is never a token: it must not be sent anywhere, nor read as one.
  const fence = profileFence(fields.access, fields.refresh);
  const access = fence === undefined ? (fields.access ?? null) : null;
  const claims = decodeJwtClaims(access);
  return {
    profileId,
    provider,
    access,
    refresh: fence === undefined ? (fields.refresh ?? null) : null,
    accountId: fields.accountId ?? claims.accountId,
    email: fields.email ?? claims.email,
    expiresAtMs: fields.expires ?? claims.expiresAtMs,
    lastRefresh: null,
    ...(fence === undefined ? {} : { fence }),
  };
}

/** The OpenAI OAuth profiles, in file order; API-key profiles and other providers are ignored. */
export function readOpenClawProfiles(json: Record<string, unknown>): StoredCredential[] {
  return Object.entries(object(json.profiles) ?? {}).flatMap(([id, value]) => {
    const profile = object(value);
    const provider = text(profile?.provider);
    if (profile === undefined || profile.type !== "oauth" || !isOpenAiProvider(provider)) return [];
    return [credential(id, provider, { access: text(profile.access), refresh: text(profile.refresh), ...identity(profile) })];
  });
}

export function readOpenClawFlat(json: Record<string, unknown>): StoredCredential[] {
  return OPENAI_PROVIDERS.flatMap((provider) => {
    const entry = object(json[provider]);
    if (entry === undefined) return [];
    // Older writers used the OAuth field names.
    const access = text(entry.access) ?? text(entry.access_token);
    return [credential(null, provider, { access, refresh: text(entry.refresh) ?? text(entry.refresh_token), ...identity(entry) })];
  });
}

/** Fields OpenClaw itself updates after a refresh: account id and email come from the new token when it has them. */
function refreshedFields(tokens: NewTokens): Record<string, unknown> {
  const claims = decodeJwtClaims(tokens.access);
  return {
    ...(tokens.expiresAtMs === null ? {} : { expires: tokens.expiresAtMs }),
    ...(claims.accountId !== null ? { accountId: claims.accountId } : {}),
    ...(claims.email !== null ? { email: claims.email } : {}),
  };
}

export function writeOpenClawProfileTokens(json: Record<string, unknown>, profileId: string, tokens: NewTokens): Record<string, unknown> {
  const profiles = isRecord(json.profiles) ? json.profiles : {};
  const old = isRecord(profiles[profileId]) ? profiles[profileId] : {};
  const updated = {
    ...old,
    access: tokens.access,
    ...(tokens.refresh === null ? {} : { refresh: tokens.refresh }),
    // SQLite-era profiles may keep the id token; never add the field where OpenClaw did not.
    ...(tokens.idToken !== null && "idToken" in old ? { idToken: tokens.idToken } : {}),
    ...refreshedFields(tokens),
  };
  return { ...json, profiles: { ...profiles, [profileId]: updated } };
}

export function writeOpenClawFlatTokens(json: Record<string, unknown>, provider: string, tokens: NewTokens): Record<string, unknown> {
  const old = isRecord(json[provider]) ? json[provider] : {};
  // Write under the names the file already uses.
  const accessKey = !("access" in old) && "access_token" in old ? "access_token" : "access";
  const refreshKey = !("refresh" in old) && "refresh_token" in old ? "refresh_token" : "refresh";
  const updated = {
    ...old,
    [accessKey]: tokens.access,
    ...(tokens.refresh === null ? {} : { [refreshKey]: tokens.refresh }),
    ...refreshedFields(tokens),
  };
  return { ...json, [provider]: updated };
}
