/** Opens any credential store (JSON recognised by content, or OpenClaw SQLite) and writes refreshed tokens back to it. */
import { basename, extname } from "node:path";
import type { AuthFormat } from "./credential.js";
import { readJsonFile, writeJsonFileAtomic } from "./json-file.js";
import { isCodexAuth, readCodexAuth, writeCodexTokens } from "./stores/codex-json.js";
import {
  isOpenClawFlat,
  isOpenClawProfiles,
  readOpenClawFlat,
  readOpenClawProfiles,
  writeOpenClawFlatTokens,
  writeOpenClawProfileTokens,
} from "./stores/openclaw-json.js";
import { hasSqliteHeader, loadSqliteStore, writeSqliteTokens } from "./stores/openclaw-sqlite.js";
import { CredentialProblem, type LoadedStore, type NewTokens, type SqliteView, type StoredCredential } from "./stores/types.js";

type JsonFormat = Exclude<AuthFormat, "openclaw-sqlite">;

function detectFormat(path: string, json: Record<string, unknown>): JsonFormat {
  if (isOpenClawProfiles(json)) return "openclaw-auth-profiles";
  if (isCodexAuth(json)) return "codex-auth-json";
  if (isOpenClawFlat(json)) return basename(path) === "oauth.json" ? "openclaw-oauth-json" : "openclaw-legacy-auth-json";
  throw new CredentialProblem("auth_missing", "is not a Codex CLI or OpenClaw credential file");
}

function readCredentials(format: JsonFormat, json: Record<string, unknown>): StoredCredential[] {
  switch (format) {
    case "codex-auth-json":
      return [readCodexAuth(json)];
    case "openclaw-auth-profiles":
      return readOpenClawProfiles(json);
    case "openclaw-legacy-auth-json":
    case "openclaw-oauth-json":
      return readOpenClawFlat(json);
  }
}

const SQLITE_EXTENSIONS = new Set([".sqlite", ".sqlite3", ".db"]);

/** SQLite by its header, or by its name (so a damaged database is reported as one, not as bad JSON). */
export async function looksLikeSqlite(path: string): Promise<boolean> {
  return SQLITE_EXTENSIONS.has(extname(path).toLowerCase()) || (await hasSqliteHeader(path));
}

/** Throws CredentialProblem when the file is missing, unreadable, not JSON or not a credential file. */
export async function loadJsonStore(path: string): Promise<LoadedStore> {
  const { json, mode } = await readJsonFile(path);
  const format = detectFormat(path, json);
  return { path, format, mode, credentials: readCredentials(format, json) };
}

/** A JSON file by path, or the SQLite databases of `view`. */
export function loadStore(path: string, view?: SqliteView): Promise<LoadedStore> {
  return view === undefined ? loadJsonStore(path) : loadSqliteStore(view);
}

/** The store read again from disk, as it was first found. */
export function reloadStore(store: Pick<LoadedStore, "path" | "sqlite">): Promise<LoadedStore> {
  return loadStore(store.path, store.sqlite);
}

/** The same credential in a (re-read) store: by profile id, else by provider key. */
export function findCredential(store: LoadedStore, ref: StoredCredential): StoredCredential | undefined {
  return store.credentials.find((c) => c.profileId === ref.profileId && c.provider === ref.provider);
}

/** A merged SQLite store is reported (path, mode) as the database the chosen profile lives in. */
export function focusStore(store: LoadedStore, credential: StoredCredential): LoadedStore {
  return credential.origin === undefined ? store : { ...store, path: credential.origin.db, mode: credential.origin.mode };
}

/** Re-reads the store, updates only `ref`'s tokens, writes atomically (mode kept), and returns the new contents. */
export async function writeTokens(store: Pick<LoadedStore, "path" | "sqlite">, ref: StoredCredential, tokens: NewTokens, now: Date): Promise<LoadedStore> {
  if (store.sqlite !== undefined) {
    if (ref.origin === undefined || ref.profileId === null) throw new CredentialProblem("auth_missing", "no longer holds this credential");
    await writeSqliteTokens(ref.origin, ref.profileId, tokens);
    return reloadStore(store);
  }
  const { path } = store;
  const file = await readJsonFile(path);
  const format = detectFormat(path, file.json);
  const before: LoadedStore = { path, format, mode: file.mode, credentials: readCredentials(format, file.json) };
  if (findCredential(before, ref) === undefined) throw new CredentialProblem("auth_missing", "no longer holds this credential");
  const json =
    format === "codex-auth-json"
      ? writeCodexTokens(file.json, tokens, now)
      : format === "openclaw-auth-profiles"
        ? writeOpenClawProfileTokens(file.json, ref.profileId ?? "", tokens)
        : writeOpenClawFlatTokens(file.json, ref.provider ?? "", tokens);
  await writeJsonFileAtomic(path, json, file.mode, file.trailingNewline);
  return { path, format, mode: file.mode, credentials: readCredentials(format, json) };
}
