/** The OAuth refresh grant, and the read → decide → HTTP → re-read + write steps around it. */
import { z } from "zod";
import { AuthError } from "../errors.js";
import type { AuthFormat } from "./credential.js";
import { decodeJwtClaims } from "./jwt.js";
import { loginCommand } from "./login-hint.js";
import { findCredential, loadStore, writeTokens } from "./store.js";
import { CredentialProblem, type LoadedStore, type NewTokens, type StoredCredential } from "./stores/types.js";
import { isFresh } from "./usable.js";

/** The Codex CLI's OAuth client id. */
export const CODEX_CLIENT_ID = "app_EMoamEEZ73f0CkXaXp7hrann";
const REFRESH_TIMEOUT_MS = 30_000;

const TokenAnswerSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional().catch(undefined),
  id_token: z.string().min(1).optional().catch(undefined),
  expires_in: z.number().positive().optional().catch(undefined),
});

const ErrorAnswerSchema = z.looseObject({
  error: z.union([z.string(), z.looseObject({ code: z.string().optional(), type: z.string().optional() })]).optional(),
  error_description: z.string().optional(),
});

/** The OAuth error code, only when it looks like one (server text is never echoed). */
function oauthErrorCode(body: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = ErrorAnswerSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { error } = parsed.data;
  const code = typeof error === "string" ? error : (error?.code ?? error?.type);
  if (code !== undefined && /^[a-z_]{1,64}$/.test(code)) return code;
  return /already been used/i.test(body) ? "refresh_token_reused" : undefined;
}

function rejected(status: number, body: string, format: AuthFormat): AuthError {
  const code = oauthErrorCode(body);
  const why = code === undefined ? `HTTP ${status}` : `${code}, HTTP ${status}`;
  if (status === 400 || status === 401) {
    return new AuthError("auth_expired", `The login's refresh token was rejected (${why}); log in again with ${loginCommand(format)}.`, { status });
  }
  const retryable = status === 429 || status >= 500;
  return new AuthError("auth_refresh_failed", `The token refresh failed (${why}); ${retryable ? "try again shortly" : "try again, or log in again"}. Nothing was changed.`, {
    status,
    retryable,
  });
}

/** POSTs the refresh grant; never sends or reports anything but the refresh token it was given. */
export async function requestTokenRefresh(url: string, refreshToken: string, format: AuthFormat, signal: AbortSignal): Promise<NewTokens> {
  const timeout = AbortSignal.timeout(REFRESH_TIMEOUT_MS);
  let status: number;
  let body: string;
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ client_id: CODEX_CLIENT_ID, grant_type: "refresh_token", refresh_token: refreshToken }),
      signal: AbortSignal.any([signal, timeout]),
    });
    status = response.status;
    body = await response.text();
  } catch (error) {
    if (signal.aborted) throw error;
    const what = timeout.aborted ? `timed out after ${REFRESH_TIMEOUT_MS / 1000} s` : "could not reach the token endpoint";
    throw new AuthError("auth_refresh_failed", `The token refresh ${what} (${url}); nothing was changed, try again.`, {
      retryable: true,
      cause: error,
    });
  }
  if (status < 200 || status >= 300) throw rejected(status, body, format);
  let answer: z.infer<typeof TokenAnswerSchema>;
  try {
    answer = TokenAnswerSchema.parse(JSON.parse(body));
  } catch {
    throw new AuthError("auth_refresh_failed", `The token endpoint (${url}) answered without an access token; nothing was changed. Try again, or log in again.`, {
      status,
    });
  }
  const exp = decodeJwtClaims(answer.access_token).expiresAtMs;
  return {
    access: answer.access_token,
    refresh: answer.refresh_token ?? null,
    idToken: answer.id_token ?? null,
    expiresAtMs: exp ?? (answer.expires_in === undefined ? null : Date.now() + answer.expires_in * 1000),
  };
}

export interface RefreshOutcome {
  readonly store: LoadedStore;
  readonly credential: StoredCredential;
  readonly refreshed: boolean;
  /** Why no refresh was needed after all. */
  readonly skipped: string | null;
}

export interface RefreshRequest {
  readonly path: string;
  /** The credential to refresh (its profile id / provider locate it again). */
  readonly ref: StoredCredential;
  /** The access token the caller holds: a different fresh one in the store means another process refreshed. */
  readonly staleAccess: string | null;
  /** Refresh even if the store now holds a fresh token (`--force-refresh`). */
  readonly force: boolean;
  readonly refreshUrl: string;
}

function problemError(path: string, problem: CredentialProblem): AuthError {
  return new AuthError(problem.code, `Cannot refresh: ${path} ${problem.reason}; nothing was written.`);
}

/**
 * Read → decide → HTTP → re-read + write. The cross-process refresh lock (a later issue) wraps
 * this whole call, so that the first read already sees another process's refresh.
 */
export async function refreshCredential(request: RefreshRequest, signal: AbortSignal): Promise<RefreshOutcome> {
  const { path, ref } = request;
  try {
    const store = await loadStore(path);
    const current = findCredential(store, ref);
    if (current === undefined) throw new CredentialProblem("auth_missing", "no longer holds the credential being refreshed");
    if (!request.force && current.access !== request.staleAccess && isFresh(current, Date.now())) {
      return { store, credential: current, refreshed: false, skipped: "another process already refreshed the access token" };
    }
    if (current.refresh === null) {
      throw new AuthError("auth_expired", `${path} has no refresh token; log in again with ${loginCommand(store.format)}.`);
    }
    const tokens = await requestTokenRefresh(request.refreshUrl, current.refresh, store.format, signal);
    const updated = await writeTokens(path, current, tokens, new Date());
    const credential = findCredential(updated, current);
    if (credential === undefined) throw new CredentialProblem("auth_missing", "no longer holds the credential being refreshed");
    return { store: updated, credential, refreshed: true, skipped: null };
  } catch (error) {
    throw error instanceof CredentialProblem ? problemError(path, error) : error;
  }
}
