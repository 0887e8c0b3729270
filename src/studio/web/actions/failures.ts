/** What a failed request means for the page: its message, and whether the server wants its API key. */
import { ApiError, apiKey } from "../api.js";
import { keyProblem, needsKey } from "../state.js";

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A 401 means the server wants its API key (or refused the one given): ask for it, and tell the caller. */
export function keyMissing(error: unknown): boolean {
  if (!(error instanceof ApiError && error.status === 401)) return false;
  if (apiKey.get() !== null) keyProblem.value = "That API key was not accepted: check it (the one the studio was started with) and enter it again.";
  apiKey.clear();
  needsKey.value = true;
  return true;
}
