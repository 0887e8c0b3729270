/** Where credentials are looked for, in order (spec §0 "Discovery with SQLite"), and the first usable one found there. */
import { join } from "node:path";
import { AuthError } from "../errors.js";
import type { AuthOptions } from "../options.js";
import type { AuthFormat } from "./credential.js";
import { envPath, openClawStateDir } from "./env.js";
import { ANY_LOGIN, loginCommand } from "./login-hint.js";
import { isInside } from "./paths.js";
import { chooseCredential } from "./select.js";
import { focusStore, loadJsonStore, looksLikeSqlite } from "./store.js";
import { AGENT_DB, loadSqliteStore, mainAgentDbPath, sqliteViewOfFile, viewPath } from "./stores/openclaw-sqlite.js";
import { CredentialProblem, StoreAbsent, type LoadedStore, type SqliteView, type StoredCredential } from "./stores/types.js";

export interface AuthSource {
  readonly path: string;
  /** Where the path came from, for messages (paths are not secret). */
  readonly origin: string;
  /** `--auth`: never skipped, its problems are the error. */
  readonly explicit: boolean;
  /** OpenClaw SQLite databases to read (an agent's over the shared store); absent for files read by content. */
  readonly sqlite?: SqliteView;
}

export interface Discovered {
  readonly source: AuthSource;
  readonly store: LoadedStore;
  readonly credential: StoredCredential;
}

/** Candidate stores in discovery order, without touching the disk. */
export function authSources(options: Pick<AuthOptions, "authFile" | "env" | "homeDir">): AuthSource[] {
  if (options.authFile !== undefined) return [{ path: options.authFile, origin: "--auth", explicit: true }];
  const { env, homeDir } = options;
  const state = openClawStateDir(env, homeDir);
  const sources: Array<{ path: string | undefined; origin: string; sqlite?: SqliteView }> = [];
  const add = (path: string | undefined, origin: string) => sources.push({ path, origin });
  const addSqlite = (sqlite: SqliteView, origin: string) => sources.push({ path: viewPath(sqlite), origin, sqlite });

  for (const name of ["CODEX_IMAGEN_AUTH_JSON", "OPENCLAW_CODEX_AUTH_JSON", "CODEX_AUTH_JSON"]) add(envPath(env, name), `$${name}`);

  const agentVar = envPath(env, "OPENCLAW_AGENT_DIR") !== undefined ? "OPENCLAW_AGENT_DIR" : "PI_CODING_AGENT_DIR";
  const agentDir = envPath(env, agentVar);
  if (agentDir !== undefined) addSqlite({ agentDb: join(agentDir, AGENT_DB), stateDir: state }, `$${agentVar}`);
  add(agentDir && join(agentDir, "auth-profiles.json"), `$${agentVar}`);
  add(agentDir && join(agentDir, "auth.json"), `$${agentVar}`);

  const mainAgent = join(state, "agents", "main", "agent");
  addSqlite({ agentDb: null, stateDir: state }, "OpenClaw shared store");
  add(join(mainAgent, "auth-profiles.json"), "OpenClaw main agent");
  add(join(mainAgent, "auth.json"), "OpenClaw main agent");
  const oauthDir = envPath(env, "OPENCLAW_OAUTH_DIR");
  add(join(oauthDir ?? join(state, "credentials"), "oauth.json"), oauthDir === undefined ? "OpenClaw credentials" : "$OPENCLAW_OAUTH_DIR");

  const codexHome = envPath(env, "CODEX_HOME");
  add(codexHome && join(codexHome, "auth.json"), "$CODEX_HOME");
  add(join(homeDir, ".codex", "auth.json"), "Codex CLI default");

  const seen = new Set<string>();
  return sources.flatMap(({ path, origin, sqlite }) => {
    // The main agent's database read as an agent dir and as the shared store is one source.
    const key = sqlite === undefined ? path : `sqlite:${sqlite.agentDb ?? mainAgentDbPath(state)}`;
    if (path === undefined || key === undefined || seen.has(key)) return [];
    seen.add(key);
    return [{ path, origin, explicit: false, ...(sqlite === undefined ? {} : { sqlite }) }];
  });
}

/** Reads a source; `onFormat` learns an SQLite store's format before reading it can fail. */
async function loadSource(source: AuthSource, options: AuthOptions, onFormat: (format: AuthFormat) => void): Promise<LoadedStore> {
  if (source.sqlite !== undefined) {
    onFormat("openclaw-sqlite");
    return loadSqliteStore(source.sqlite);
  }
  if (await looksLikeSqlite(source.path)) {
    onFormat("openclaw-sqlite");
    const stateDir = openClawStateDir(options.env, options.homeDir);
    return loadSqliteStore(await sqliteViewOfFile(source.path, stateDir, isInside(stateDir, source.path)));
  }
  return loadJsonStore(source.path);
}

interface Skipped {
  readonly source: AuthSource;
  readonly problem: CredentialProblem;
  readonly format: AuthFormat | undefined;
}

/** The first auto-discovered source that failed in use: its error stands unless a later, compatible source works. */
interface Failed {
  readonly error: AuthError;
  /** Only a source of the same account may take its place. */
  readonly accountId: string | null;
}

function explicitError(path: string, problem: CredentialProblem, format: AuthFormat | undefined): AuthError {
  const next = problem.nextStep ?? `Log in again with ${format === undefined ? ANY_LOGIN : loginCommand(format)}`;
  return new AuthError(problem.code, `--auth ${path} ${problem.reason}. ${next}, or pass a different --auth file.`);
}

function nothingUsableError(skipped: readonly Skipped[]): AuthError {
  const lines = skipped.map(({ source, problem }) => `  - ${source.path} (${source.origin}): ${problem.reason}`);
  const expired = skipped.filter(({ problem }) => problem.code === "auth_expired");
  // Logins that expired name the command that renews them; otherwise any login will do.
  const logins = [...new Set(expired.flatMap(({ format }) => (format === undefined ? [] : [loginCommand(format)])))];
  return new AuthError(
    expired.length > 0 ? "auth_expired" : "auth_missing",
    `No usable ChatGPT login found. Checked:\n${lines.join("\n")}\nLog in with ${logins.length > 0 ? logins.join(" or ") : ANY_LOGIN}, or pass --auth FILE.`,
  );
}

/** A failure while refreshing or using a found credential, as the error it is and as a reason to skip its source. */
function asFailure(path: string, error: CredentialProblem | AuthError): { error: AuthError; problem: CredentialProblem } {
  if (error instanceof CredentialProblem) return { error: new AuthError(error.code, `${path} ${error.reason}.`), problem: error };
  return { error, problem: new CredentialProblem(error.code === "auth_missing" ? "auth_missing" : "auth_expired", `failed: ${error.message}`) };
}

/** One line per source that exists but was passed over (a missing file is not worth a word); tokens never appear in reasons. */
function skipWarnings(skipped: readonly Skipped[], used: Discovered): string[] {
  return skipped
    .filter(({ problem }) => !(problem instanceof StoreAbsent))
    .map(({ source, problem }) => `Skipped ${source.path} (${source.origin}): it ${problem.reason}. Using ${used.store.path} (${used.source.origin}) instead.`);
}

/**
 * Tries sources in order and hands the first usable credential to `use`. An auto-discovered source that
 * is unusable, or that `use` cannot make usable (any auth failure: refresh rejected, endpoint down,
 * tokens spent), gives way to the next source of the same account; `onWarning` hears which were skipped
 * and why. When none takes over, the first failure stands. `--auth` is never passed over.
 */
export async function firstUsable<T>(options: AuthOptions, nowMs: number, use: (found: Discovered) => Promise<T>, onWarning: (message: string) => void = () => {}): Promise<T> {
  const skipped: Skipped[] = [];
  let failed: Failed | undefined;
  for (const source of authSources(options)) {
    let format: AuthFormat | undefined;
    let found: Discovered;
    try {
      const store = await loadSource(source, options, (f) => (format = f));
      format = store.format;
      const credential = await chooseCredential(store, options, nowMs);
      found = { source, store: focusStore(store, credential), credential };
    } catch (error) {
      if (!(error instanceof CredentialProblem)) throw error;
      if (source.explicit) throw explicitError(source.path, error, format);
      skipped.push({ source, problem: error, format });
      continue;
    }
    const { accountId } = found.credential;
    if (failed?.accountId != null && accountId !== failed.accountId) {
      skipped.push({ source, problem: new CredentialProblem("auth_missing", `is another ChatGPT account (${accountId ?? "unknown"}), not ${failed.accountId}`), format });
      continue;
    }
    try {
      const value = await use(found);
      for (const warning of skipWarnings(skipped, found)) onWarning(warning);
      return value;
    } catch (error) {
      if (source.explicit || !(error instanceof CredentialProblem || error instanceof AuthError)) throw error;
      const failure = asFailure(source.path, error);
      failed ??= { error: failure.error, accountId };
      skipped.push({ source, problem: failure.problem, format });
    }
  }
  throw failed?.error ?? nothingUsableError(skipped);
}

/** The first usable credential in discovery order; unusable auto-discovered sources are skipped with a reason. */
export function discoverCredential(options: AuthOptions, nowMs: number): Promise<Discovered> {
  return firstUsable(options, nowMs, async (found) => found);
}
