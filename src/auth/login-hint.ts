/** Which command gets the user a new login, by store. */
import type { AuthFormat } from "./credential.js";

export const CODEX_LOGIN = "`codex login`";
export const OPENCLAW_JSON_LOGIN = "`openclaw models auth login --provider openai-codex`";
export const OPENCLAW_SQLITE_LOGIN = "`openclaw models auth login --provider openai`";

export function loginCommand(format: AuthFormat): string {
  switch (format) {
    case "codex-auth-json":
      return CODEX_LOGIN;
    case "openclaw-sqlite":
      return OPENCLAW_SQLITE_LOGIN;
    case "openclaw-auth-profiles":
    case "openclaw-legacy-auth-json":
    case "openclaw-oauth-json":
      return OPENCLAW_JSON_LOGIN;
  }
}

/** For when no store is known yet: the provider id changed with OpenClaw's SQLite era. */
export const ANY_LOGIN = `${CODEX_LOGIN}, or ${OPENCLAW_SQLITE_LOGIN} (OpenClaw 2026.6+; ${OPENCLAW_JSON_LOGIN} before)`;
