/** The environment as discovery reads it: an empty variable counts as unset. */
import { join, resolve } from "node:path";
import type { AuthOptions } from "../options.js";

type Env = AuthOptions["env"];

export function envValue(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
}

export function envPath(env: Env, name: string): string | undefined {
  const value = envValue(env, name);
  return value === undefined ? undefined : resolve(value);
}

/** `$OPENCLAW_STATE_DIR`, else `<home>/.openclaw`. */
export function openClawStateDir(env: Env, homeDir: string): string {
  return envPath(env, "OPENCLAW_STATE_DIR") ?? join(homeDir, ".openclaw");
}
