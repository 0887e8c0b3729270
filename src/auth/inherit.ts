/** A non-main OpenClaw agent whose refresh token was spent elsewhere takes the main agent's fresh login for the same account. */
import { join } from "node:path";
import type { AuthOptions } from "../options.js";
import { openClawStateDir } from "./env.js";
import { stateDirOfStore } from "./paths.js";
import { loadJsonStore } from "./store.js";
import { loadSqliteStore } from "./stores/openclaw-sqlite.js";
import type { LoadedStore, StoredCredential } from "./stores/types.js";
import { isFresh } from "./usable.js";

async function mainStore(store: LoadedStore, options: Pick<AuthOptions, "env" | "homeDir">): Promise<LoadedStore | undefined> {
  const stateDir = store.sqlite?.stateDir ?? stateDirOfStore(store.path) ?? openClawStateDir(options.env, options.homeDir);
  if (store.format === "openclaw-sqlite") {
    return loadSqliteStore({ agentDb: null, stateDir }).catch(() => undefined);
  }
  if (store.format !== "openclaw-auth-profiles") return undefined;
  const path = join(stateDir, "agents", "main", "agent", "auth-profiles.json");
  return path === store.path ? undefined : loadJsonStore(path).catch(() => undefined);
}

/** The main agent's fresh profile for the same provider and account, when `credential` lives elsewhere. */
export async function freshMainProfile(
  store: LoadedStore,
  credential: StoredCredential,
  options: Pick<AuthOptions, "env" | "homeDir">,
): Promise<StoredCredential | undefined> {
  if (credential.accountId === null) return undefined;
  const main = await mainStore(store, options);
  const now = Date.now();
  const matches = (main?.credentials ?? []).filter(
    (p) =>
      p.provider === credential.provider &&
      p.accountId === credential.accountId &&
      p.access !== credential.access &&
      // The same database would be the very profile that just failed.
      (p.origin === undefined || p.origin.db !== credential.origin?.db) &&
      isFresh(p, now),
  );
  return matches.find((p) => p.profileId === credential.profileId) ?? matches[0];
}
