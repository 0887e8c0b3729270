/** The page's session with its server: starting, the API key a non-loopback server asks for, and the account panel. */
import { api, apiKey } from "../api.js";
import { account, formError, keyProblem, needsKey, session } from "../state.js";
import { describe, keyMissing } from "./failures.js";
import { loadHistory } from "./history.js";

export async function start(): Promise<void> {
  try {
    // Asking first spares a key-protected server a refused request (and the console its error).
    if (apiKey.get() === null && (await api.access()).needs_api_key) {
      needsKey.value = true;
      return;
    }
    session.value = await api.session();
  } catch (error) {
    if (!keyMissing(error)) formError.value = { message: `The studio's server did not answer: ${describe(error)}. Is codex-imagen studio still running?`, param: null };
    return;
  }
  needsKey.value = false;
  keyProblem.value = null;
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
