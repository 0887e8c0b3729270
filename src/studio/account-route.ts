/** `GET /studio/api/account`: which login the server uses (never a token or a file path) and the account's limits, read fresh each time. */
import type { AuthFormat } from "../auth/credential.js";
import { readUsageLimits } from "../backend/usage-limits.js";
import { DEFAULT_BASE_URL } from "../defaults.js";
import { toCodexImagenError } from "../errors.js";
import type { ServerState } from "../serve/image-request.js";
import { toOpenAiError } from "../serve/openai-errors.js";
import type { AccountInfo } from "./protocol.js";

const SOURCES: Record<AuthFormat, string> = {
  "codex-auth-json": "Codex CLI login",
  "openclaw-auth-profiles": "OpenClaw login",
  "openclaw-legacy-auth-json": "OpenClaw login",
  "openclaw-oauth-json": "OpenClaw login",
  "openclaw-sqlite": "OpenClaw login",
};

export async function accountInfo(server: ServerState, signal: AbortSignal): Promise<AccountInfo> {
  const { base } = server.config;
  if (base.backend === "mock") return { login: { source: "offline mock backend (no login used)", email: null, plan: null }, login_error: null, limits: null, limits_error: null };
  let session;
  try {
    session = await server.auth.session(signal);
  } catch (error) {
    const answer = toOpenAiError(toCodexImagenError(error));
    return { login: null, login_error: { code: answer.code ?? "auth_missing", message: answer.message }, limits: null, limits_error: null };
  }
  const { credential } = session;
  const login = { source: SOURCES[credential.format], email: credential.email, plan: null as string | null };
  try {
    const limits = await readUsageLimits(session, base.baseUrl ?? DEFAULT_BASE_URL, signal, { refresh: true });
    return { login: { ...login, plan: limits.plan_type }, login_error: null, limits, limits_error: null };
  } catch (error) {
    return { login, login_error: null, limits: null, limits_error: toOpenAiError(toCodexImagenError(error)).message };
  }
}
