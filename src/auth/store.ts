/** Opens any JSON credential store, recognised by its content, and writes refreshed tokens back to it. */
import { basename } from "node:path";
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
import { CredentialProblem, type LoadedStore, type NewTokens, type StoredCredential } from "./stores/types.js";

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

/** Throws CredentialProblem when the file is missing, unreadable, not JSON or not a credential file. */
export async function loadStore(path: string): Promise<LoadedStore> {
  const { json, mode } = await readJsonFile(path);
  const format = detectFormat(path, json);
  return { path, format, mode, credentials: readCredentials(format, json) };
}

/** The same credential in a (re-read) store: by profile id, else by provider key. */
export function findCredential(store: LoadedStore, ref: StoredCredential): StoredCredential | undefined {
  return store.credentials.find((c) => c.profileId === ref.profileId && c.provider === ref.provider);
}

/** Re-reads the file, updates only `ref`'s tokens, writes atomically (mode kept), and returns the new contents. */
export async function writeTokens(path: string, ref: StoredCredential, tokens: NewTokens, now: Date): Promise<LoadedStore> {
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
