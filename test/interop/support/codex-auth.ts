/** Codex `auth.json` and its lock files exactly as the Codex CLI 0.169 leaves them on disk. */
import { chmodSync, closeSync, openSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface CodexTokens {
  idToken: string;
  access: string;
  refresh: string;
  accountId: string;
}

/**
 * Observed after a refresh by the real Codex CLI 0.169: this key order, 2-space JSON, no trailing
 * newline, `last_refresh` with nanoseconds, mode 0600.
 */
export function writeCodexCliAuth(codexHome: string, tokens: CodexTokens, lastRefresh = "2026-11-20T09:15:42.123456789Z"): string {
  const path = join(codexHome, "auth.json");
  const document = {
    auth_mode: "chatgpt",
    OPENAI_API_KEY: null,
    tokens: { id_token: tokens.idToken, access_token: tokens.access, refresh_token: tokens.refresh, account_id: tokens.accountId },
    last_refresh: lastRefresh,
  };
  writeFileSync(path, JSON.stringify(document, null, 2), { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

/** The Codex CLI's own lock files: empty, `auth.lock` 0644 and `auth.json.lock` 0600 (as it creates them). */
export const CODEX_LOCKS = [
  { name: "auth.lock", mode: 0o644 },
  { name: "auth.json.lock", mode: 0o600 },
] as const;

const OLD_MTIME = new Date("2026-01-02T03:04:05Z");

export function createCodexLocks(codexHome: string): void {
  for (const lock of CODEX_LOCKS) {
    const path = join(codexHome, lock.name);
    closeSync(openSync(path, "wx", lock.mode));
    chmodSync(path, lock.mode);
    utimesSync(path, OLD_MTIME, OLD_MTIME);
  }
}

/** Everything about a file that a create, remove, rewrite or touch would change; null when absent. */
export function fileFacts(path: string): { ino: number; size: number; mode: number; mtimeMs: number; ctimeMs: number } | null {
  try {
    const info = statSync(path);
    return { ino: info.ino, size: info.size, mode: info.mode & 0o7777, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs };
  } catch {
    return null;
  }
}
