/** The page's session with its server: starting, the API key a non-loopback server asks for, and the account panel. */
import { api, ApiError, apiKey } from "../api.js";
import { account, formError, needsKey, session } from "../state.js";
import { loadHistory } from "./history.js";

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A 401 means the server wants its API key: ask for it, and tell the caller. */
export function keyMissing(error: unknown): boolean {
  if (error instanceof ApiError && error.status === 401) {
    apiKey.clear();
    needsKey.value = true;
    return true;
  }
  return false;
}

export async function start(): Promise<void> {
  try {
    session.value = await api.session();
  } catch (error) {
    if (!keyMissing(error)) formError.value = { message: `The studio's server did not answer: ${describe(error)}. Is codex-imagen studio still running?`, param: null };
    return;
  }
  needsKey.value = false;
  await Promise.all([loadHistory(), refreshAccount()]);
}

export function saveKey(key: string): Promise<void> {
  apiKey.set(key.trim());
  return start();
}

export async function refreshAccount(): Promise<void> {
  try {
    account.value = await api.account();
  } catch (error) {
    if (!keyMissing(error)) account.value = { login: null, login_error: { code: "network", message: describe(error) }, limits: null, limits_error: null };
  }
}
