/** Where credentials are looked for, in order (spec §4), and the first usable one found there. */
import { join } from "node:path";
import { AuthError } from "../errors.js";
import type { AuthOptions } from "../options.js";
import { envPath, openClawStateDir } from "./env.js";
import { ANY_LOGIN, loginCommand } from "./login-hint.js";
import { chooseCredential } from "./select.js";
import { loadStore } from "./store.js";
import { CredentialProblem, type LoadedStore, type StoredCredential } from "./stores/types.js";

export interface AuthSource {
  readonly path: string;
  /** Where the path came from, for messages (paths are not secret). */
  readonly origin: string;
  /** `--auth`: never skipped, its problems are the error. */
  readonly explicit: boolean;
}

export interface Discovered {
  readonly source: AuthSource;
  readonly store: LoadedStore;
  readonly credential: StoredCredential;
}

/** Candidate files in discovery order, without touching the disk. */
export function authSources(options: Pick<AuthOptions, "authFile" | "env" | "homeDir">): AuthSource[] {
  if (options.authFile !== undefined) return [{ path: options.authFile, origin: "--auth", explicit: true }];
  const { env, homeDir } = options;
  const sources: Array<{ path: string | undefined; origin: string }> = [];
  const add = (path: string | undefined, origin: string) => sources.push({ path, origin });

  for (const name of ["CODEX_IMAGEN_AUTH_JSON", "OPENCLAW_CODEX_AUTH_JSON", "CODEX_AUTH_JSON"]) add(envPath(env, name), `$${name}`);

  const agentVar = envPath(env, "OPENCLAW_AGENT_DIR") !== undefined ? "OPENCLAW_AGENT_DIR" : "PI_CODING_AGENT_DIR";
  const agentDir = envPath(env, agentVar);
  // SQLite (later issue): `<agent dir>/openclaw-agent.sqlite` goes here, before the agent's JSON files.
  add(agentDir && join(agentDir, "auth-profiles.json"), `$${agentVar}`);
  add(agentDir && join(agentDir, "auth.json"), `$${agentVar}`);

  const state = openClawStateDir(env, homeDir);
  const mainAgent = join(state, "agents", "main", "agent");
  // SQLite (later issue): the shared store (`<state>/state/openclaw.sqlite` or the main agent's) goes here.
  add(join(mainAgent, "auth-profiles.json"), "OpenClaw main agent");
  add(join(mainAgent, "auth.json"), "OpenClaw main agent");
  const oauthDir = envPath(env, "OPENCLAW_OAUTH_DIR");
  add(join(oauthDir ?? join(state, "credentials"), "oauth.json"), oauthDir === undefined ? "OpenClaw credentials" : "$OPENCLAW_OAUTH_DIR");

  const codexHome = envPath(env, "CODEX_HOME");
  add(codexHome && join(codexHome, "auth.json"), "$CODEX_HOME");
  add(join(homeDir, ".codex", "auth.json"), "Codex CLI default");

  const seen = new Set<string>();
  return sources.flatMap(({ path, origin }) => {
    if (path === undefined || seen.has(path)) return [];
    seen.add(path);
    return [{ path, origin, explicit: false }];
  });
}

function explicitError(path: string, problem: CredentialProblem, store: LoadedStore | undefined): AuthError {
  const login = store === undefined ? ANY_LOGIN : loginCommand(store.format);
  return new AuthError(problem.code, `--auth ${path} ${problem.reason}. Log in again with ${login}, or pass a different --auth file.`);
}

function nothingUsableError(skipped: ReadonlyArray<{ source: AuthSource; problem: CredentialProblem }>): AuthError {
  const lines = skipped.map(({ source, problem }) => `  - ${source.path} (${source.origin}): ${problem.reason}`);
  const code = skipped.some(({ problem }) => problem.code === "auth_expired") ? "auth_expired" : "auth_missing";
  return new AuthError(
    code,
    `No usable ChatGPT login found. Checked:\n${lines.join("\n")}\nLog in with ${ANY_LOGIN}, or pass --auth FILE.`,
  );
}

/** The first usable credential in discovery order; unusable auto-discovered sources are skipped with a reason. */
export async function discoverCredential(options: AuthOptions, nowMs: number): Promise<Discovered> {
  const skipped: Array<{ source: AuthSource; problem: CredentialProblem }> = [];
  for (const source of authSources(options)) {
    let store: LoadedStore | undefined;
    try {
      store = await loadStore(source.path);
      return { source, store, credential: await chooseCredential(store, options, nowMs) };
    } catch (error) {
      if (!(error instanceof CredentialProblem)) throw error;
      if (source.explicit) throw explicitError(source.path, error, store);
      skipped.push({ source, problem: error });
    }
  }
  throw nothingUsableError(skipped);
}
