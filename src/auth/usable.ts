/** When a credential can be used as it is, can be refreshed, or cannot be used at all. */
import type { RefreshMode } from "../options.js";
import { CredentialProblem, type StoredCredential } from "./stores/types.js";

/** Tokens expiring within this margin are refreshed first (the Codex CLI's and OpenClaw's margin). */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/** An access token whose expiry is unknown counts as fresh: the backend's 401 will tell. */
export function isFresh(credential: StoredCredential, nowMs: number): boolean {
  if (credential.access === null) return false;
  return credential.expiresAtMs === null || credential.expiresAtMs - nowMs > REFRESH_MARGIN_MS;
}

export function isUnexpired(credential: StoredCredential, nowMs: number): boolean {
  return credential.access !== null && (credential.expiresAtMs === null || credential.expiresAtMs > nowMs);
}

export function needsRefresh(credential: StoredCredential, mode: RefreshMode, nowMs: number): boolean {
  if (mode === "never") return false;
  return mode === "force" || !isFresh(credential, nowMs);
}

/** Null when usable; otherwise why not, as a short token-free reason. */
export function usabilityProblem(credential: StoredCredential, mode: RefreshMode, nowMs: number): CredentialProblem | null {
  if (credential.fence === "failed") {
    return new CredentialProblem("auth_expired", "holds a failed OpenClaw refresh (its refresh token is gone)");
  }
  const pending = credential.fence === "pending";
  if (!pending && credential.access === null && credential.refresh === null) {
    return new CredentialProblem("auth_missing", "holds no ChatGPT OAuth tokens");
  }
  if (credential.accountId === null) {
    return new CredentialProblem("auth_missing", "has no ChatGPT account id (neither in the file nor in the access token)");
  }
  // OpenClaw is refreshing it right now: the refresh step waits for the new tokens.
  if (pending) {
    return mode === "never"
      ? new CredentialProblem("auth_expired", "is being refreshed by OpenClaw right now and --no-refresh forbids waiting for it (try again, or drop --no-refresh)")
      : null;
  }
  if (isFresh(credential, nowMs)) return null;
  // With --no-refresh the caller owns refreshing: a token that still works is good enough.
  if (mode === "never") {
    if (isUnexpired(credential, nowMs)) return null;
    return new CredentialProblem("auth_expired", "has an expired access token and --no-refresh forbids refreshing it (drop --no-refresh or log in again)");
  }
  if (credential.refresh !== null) return null;
  return new CredentialProblem("auth_expired", "has an expired (or nearly expired) access token and no refresh token");
}
