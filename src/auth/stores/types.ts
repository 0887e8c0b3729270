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
}

export interface LoadedStore {
  readonly path: string;
  readonly format: AuthFormat;
  /** Permission bits of the file, kept on write-back. */
  readonly mode: number;
  /** Only the OpenAI OAuth credentials; other providers' entries are left alone. */
  readonly credentials: readonly StoredCredential[];
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
  ) {
    super(reason);
    this.name = "CredentialProblem";
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
