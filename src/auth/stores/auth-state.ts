/** OpenClaw's profile order state: `auth-state.json` (JSON era) or the `authProfiles.state` document (SQLite era). */
import { byProvider, object, stringList, text } from "../fields.js";
import type { StoredAuthState } from "./types.js";

export type AuthState = StoredAuthState;

/** Undefined for anything that is not a state document; unreadable fields are left out. */
export function parseAuthState(json: unknown): AuthState | undefined {
  const state = object(json);
  if (state === undefined) return undefined;
  return { order: byProvider(state.order, stringList), lastGood: byProvider(state.lastGood, text) };
}
