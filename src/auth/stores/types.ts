/** What every credential store yields, before selection and refresh. Holds raw tokens: stays inside auth/. */
import type { AuthFormat } from "../credential.js";

export interface StoredCredential {
  /** OpenClaw profile id; null for single-credential files. */
  readonly profileId: string | null;
  /** Provider id (`openai-codex` / `openai`) for OpenClaw stores; null for the Codex CLI file. */
  readonly provider: string | null;
  readonly access: string | null;
  readonly refresh: string | null;
  /** From the store, else from the access token's claims. */
  readonly accountId: string | null;
  readonly email: string | null;
  /** From the store, else from the access token's `exp`. */
  readonly expiresAtMs: number | null;
  readonly lastRefresh: string | null;
  /** An OpenClaw refresh fence in place of the tokens (they are null then): in progress, or failed for good. */
  readonly fence?: "pending" | "failed";
  /** Where an SQLite profile lives (a merged view spans two databases). */
  readonly origin?: SqliteOrigin;
}

/** An OpenClaw SQLite database and which of its layouts holds the profile. */
export interface SqliteOrigin {
  readonly db: string;
  /** `agent`: `auth_profile_store` row 'primary'; `state`: `config_machine_state` row `authProfiles.store`. */
  readonly layout: "agent" | "state";
  readonly mode: number;
}

/** The databases an SQLite store reads: an agent's own, over the shared store of its state dir. */
export interface SqliteView {
  /** A per-agent `openclaw-agent.sqlite`, or null when only the shared store is read. */
  readonly agentDb: string | null;
  /** OpenClaw state dir whose shared store lies under the agent's profiles; null: none. */
  readonly stateDir: string | null;
  /** An explicit state database (`--auth <state>/state/openclaw.sqlite`) read on its own. */
  readonly stateDb?: string;
}

/** Profile order state (`auth-state.json`, or the SQLite state row). */
export interface StoredAuthState {
  readonly order?: Readonly<Record<string, readonly string[]>> | undefined;
  readonly lastGood?: Readonly<Record<string, string>> | undefined;
}

export interface LoadedStore {
  readonly path: string;
  readonly format: AuthFormat;
  /** Permission bits of the file, kept on write-back. */
  readonly mode: number;
  /** Only the OpenAI OAuth credentials; other providers' entries are left alone. */
  readonly credentials: readonly StoredCredential[];
  /** SQLite stores: how to read them again. */
  readonly sqlite?: SqliteView;
  /** SQLite stores keep their profile order state inside. */
  readonly state?: StoredAuthState;
}

/** The result of a refresh grant, ready to be written back. */
export interface NewTokens {
  readonly access: string;
  /** Null when the server did not rotate it: the old one stays. */
  readonly refresh: string | null;
  readonly idToken: string | null;
  readonly expiresAtMs: number | null;
}

/** OpenClaw provider ids this tool can use, JSON era first. */
export const OPENAI_PROVIDERS = ["openai-codex", "openai"] as const;

/** Why a credential source cannot be used; turned into an AuthError (or a skip reason) by the caller. */
export class CredentialProblem extends Error {
  constructor(
    readonly code: "auth_missing" | "auth_expired",
    readonly reason: string,
    /** What fixes it, when logging in again would not (e.g. a newer Node). */
    readonly nextStep?: string,
  ) {
    super(reason);
    this.name = "CredentialProblem";
  }
}

/** The store is not there at all: nothing to warn about when discovery moves on. */
export class StoreAbsent extends CredentialProblem {
  constructor(reason = "does not exist") {
    super("auth_missing", reason);
    this.name = "StoreAbsent";
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
