/** The environment as discovery reads it: an empty variable counts as unset. */
import { join, resolve } from "node:path";
import { type Env, envValue } from "../unset.js";

export function envPath(env: Env, name: string): string | undefined {
  const value = envValue(env, name);
  return value === undefined ? undefined : resolve(value);
}

/** `$OPENCLAW_STATE_DIR`, else `<home>/.openclaw`. */
export function openClawStateDir(env: Env, homeDir: string): string {
  return envPath(env, "OPENCLAW_STATE_DIR") ?? join(homeDir, ".openclaw");
}
