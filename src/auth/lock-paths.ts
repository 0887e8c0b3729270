/** Which lock files guard a credential's refresh: OpenClaw's own names for its stores, ours beside a Codex `auth.json`. */
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { AuthOptions } from "../options.js";
import { openClawStateDir } from "./env.js";
import { stateDirOfStore } from "./paths.js";
import type { LoadedStore, StoredCredential } from "./stores/types.js";

const MASK_64 = (1n << 64n) - 1n;
const FNV_PRIME = 0x100000001b3n;

const hex16 = (value: bigint) => value.toString(16).padStart(16, "0");

/** OpenClaw ≥ 2026.6: two 64-bit FNV-1a variants over `JSON.stringify([provider, profileId])`. */
export function fnvLockName(provider: string, profileId: string): string {
  let l = 0xcbf29ce484222325n;
  let r = 0x9ae16a3b2f90404fn;
  for (const byte of Buffer.from(JSON.stringify([provider, profileId]), "utf8")) {
    const b = BigInt(byte);
    l = ((l ^ b) * FNV_PRIME) & MASK_64;
    r = ((r ^ (b + 0x9e3779b97f4a7c15n)) * FNV_PRIME) & MASK_64;
  }
  return `lock-${hex16(l)}${hex16(r)}.lock`;
}

/** OpenClaw ≤ 2026.5: sha256 of `provider \0 profileId`. */
export function sha256LockName(provider: string, profileId: string): string {
  return `sha256-${createHash("sha256").update(`${provider}\0${profileId}`).digest("hex")}.lock`;
}

export interface RefreshLockPaths {
  /** Held across re-read → token request → write. */
  readonly refresh: string;
  /** OpenClaw's JSON-era store lock, held only while re-reading and writing the file. */
  readonly store: string | null;
}

/** The lock file the Codex CLI never uses: `auth.lock` and `auth.json.lock` are its own and stay untouched. */
export const codexLockPath = (authJson: string) => `${authJson}.codex-imagen.lock`;

export function refreshLockPaths(store: LoadedStore, credential: StoredCredential, options: Pick<AuthOptions, "env" | "homeDir">): RefreshLockPaths {
  if (store.format === "codex-auth-json") return { refresh: codexLockPath(store.path), store: null };
  const stateDir = store.sqlite?.stateDir ?? stateDirOfStore(store.path) ?? openClawStateDir(options.env, options.homeDir);
  const dir = join(stateDir, "locks", "oauth-refresh");
  const provider = credential.provider ?? "openai-codex";
  // Flat files hold one credential per provider; OpenClaw imports it as `<provider>:default`.
  const profileId = credential.profileId ?? `${provider}:default`;
  if (store.format === "openclaw-sqlite") return { refresh: join(dir, fnvLockName(provider, profileId)), store: null };
  const refresh = join(dir, sha256LockName(provider, profileId));
  return { refresh, store: store.format === "openclaw-auth-profiles" ? `${store.path}.lock` : null };
}
