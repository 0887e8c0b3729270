/** What a failed request means for the page: its message, and whether the server wants its API key. */
import { ApiError, apiKey } from "../api.js";
import { needsKey } from "../state.js";

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
