/** What the rest of the tool knows about a credential: auth/ hides every store behind this. */
import type { AuthRefreshReport } from "../result.js";

export type AuthFormat =
  | "codex-auth-json"
  | "openclaw-auth-profiles"
  | "openclaw-legacy-auth-json"
  | "openclaw-oauth-json"
  | "openclaw-sqlite";

export interface Credential {
  /** Bearer token for the backend. Never print it. */
  readonly accessToken: string;
  readonly accountId: string;
  /** The store the credential was read from (absolute path). */
  readonly path: string;
  readonly format: AuthFormat;
  readonly profileId: string | null;
  readonly provider: string | null;
  readonly email: string | null;
  /** ISO time of the last refresh, when the store records it. */
  readonly lastRefresh: string | null;
  /** Access token expiry in ms since the epoch, from the store or the JWT `exp`. */
  readonly expiresAtMs: number | null;
  readonly refreshTokenPresent: boolean;
}

/** A credential for one run, able to refresh itself once when the backend rejects it. */
export interface AuthSession {
  readonly credential: Credential;
  /** After an HTTP 401: refresh once (never with `--no-refresh`), write back, return the new credential. */
  refreshAfterUnauthorized(signal: AbortSignal): Promise<Credential>;
  /** What happened to the token during this run, for the JSON `auth_refresh` field. */
  readonly refreshReport: AuthRefreshReport | undefined;
}

/** One credential for many runs (serve, batch): each run asks for the session current at its start. */
export interface SharedAuth {
  session(signal: AbortSignal): Promise<AuthSession>;
}
