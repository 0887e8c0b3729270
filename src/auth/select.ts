/** Picks the credential to use from a loaded store; OpenClaw profile stores follow OpenClaw's own order. */
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { AuthOptions } from "../options.js";
import { envValue } from "../unset.js";
import { openClawStateDir } from "./env.js";
import { readJsonFile } from "./json-file.js";
import { parseLenientJson } from "./lenient-json.js";
import { isInside } from "./paths.js";
import { byProvider, object, stringList, text } from "./fields.js";
import { parseAuthState, type AuthState } from "./stores/auth-state.js";
import { CredentialProblem, OPENAI_PROVIDERS, type LoadedStore, type StoredAuthState, type StoredCredential } from "./stores/types.js";
import { usabilityProblem } from "./usable.js";

/** The part of `<state>/openclaw.json` that orders auth profiles. */
export interface OpenClawConfig {
  auth?: {
    order?: Record<string, string[]>;
    profiles?: Record<string, { provider?: string }>;
  };
}

function parseOpenClawConfig(json: unknown): OpenClawConfig {
  const auth = object(object(json)?.auth);
  if (auth === undefined) return {};
  return {
    auth: {
      order: byProvider(auth.order, stringList),
      profiles: byProvider(auth.profiles, (profile) => ({ provider: text(object(profile)?.provider) })),
    },
  };
}

export interface ProfileHints {
  /** `--auth-profile`, else the env variables: must exist. */
  readonly requested: { readonly id: string; readonly origin: string } | undefined;
  /** Ids to try in order (the first usable wins) before the best usable profile. */
  readonly preferred: readonly string[];
}

/** OpenClaw's order; `openclaw.json` counts only for stores inside its own state dir. */
export function preferredProfileIds(state: StoredAuthState | undefined, config: OpenClawConfig | undefined, insideStateDir: boolean): string[] {
  const each = (pick: (provider: string) => readonly string[] | string | undefined) =>
    OPENAI_PROVIDERS.flatMap((provider) => pick(provider) ?? []);
  const stateOrder = each((p) => state?.order?.[p]);
  const lastGood = each((p) => state?.lastGood?.[p]);
  if (!insideStateDir) return [...stateOrder, ...lastGood, ...each((p) => `${p}:default`)];
  const configured = Object.entries(config?.auth?.profiles ?? {});
  return [
    ...stateOrder,
    ...each((p) => config?.auth?.order?.[p]),
    ...each((p) => configured.filter(([, profile]) => profile.provider === p).map(([id]) => id)),
    ...lastGood,
  ];
}

function requestedProfile(options: AuthOptions): ProfileHints["requested"] {
  if (options.profile !== undefined && options.profile !== "") return { id: options.profile, origin: "--auth-profile" };
  for (const name of ["CODEX_IMAGEN_AUTH_PROFILE", "OPENCLAW_AUTH_PROFILE"]) {
    const id = envValue(options.env, name);
    if (id !== undefined) return { id, origin: `$${name}` };
  }
  return undefined;
}

async function readAuthState(storePath: string): Promise<AuthState | undefined> {
  try {
    return parseAuthState((await readJsonFile(join(dirname(storePath), "auth-state.json"))).json);
  } catch {
    return undefined;
  }
}

async function readOpenClawConfig(stateDir: string): Promise<OpenClawConfig | undefined> {
  const source = await readFile(join(stateDir, "openclaw.json"), "utf8").catch(() => undefined);
  return source === undefined ? undefined : parseOpenClawConfig(parseLenientJson(source));
}

/** Hints for `store`: SQLite stores carry their state and know their state dir; JSON stores use their siblings. */
export async function readProfileHints(store: LoadedStore, options: AuthOptions): Promise<ProfileHints> {
  const requested = requestedProfile(options);
  if (store.sqlite !== undefined) {
    const { stateDir } = store.sqlite;
    const config = stateDir === null ? undefined : await readOpenClawConfig(stateDir);
    return { requested, preferred: preferredProfileIds(store.state, config, stateDir !== null) };
  }
  const stateDir = openClawStateDir(options.env, options.homeDir);
  const insideStateDir = isInside(stateDir, store.path);
  const [state, config] = await Promise.all([readAuthState(store.path), insideStateDir ? readOpenClawConfig(stateDir) : undefined]);
  return { requested, preferred: preferredProfileIds(state, config, insideStateDir) };
}

const quoted = (ids: readonly (string | null)[]) => ids.map((id) => `"${id}"`).join(", ");

/** Explicit choice, then the first usable preferred id, then the usable profile that expires last. */
export function selectProfile(
  profiles: readonly StoredCredential[],
  hints: ProfileHints,
  problemOf: (credential: StoredCredential) => CredentialProblem | null,
): StoredCredential {
  const byId = (id: string) => profiles.find((p) => p.profileId === id);
  if (hints.requested !== undefined) {
    const { id, origin } = hints.requested;
    const profile = byId(id);
    if (profile === undefined) {
      const existing = profiles.length === 0 ? "it has none" : `it has ${quoted(profiles.map((p) => p.profileId))}`;
      throw new CredentialProblem("auth_missing", `has no OpenAI OAuth profile "${id}" (asked for by ${origin}); ${existing}`);
    }
    const problem = problemOf(profile);
    if (problem !== null) throw new CredentialProblem(problem.code, `profile "${id}" ${problem.reason}`);
    return profile;
  }
  const usable = profiles.filter((p) => problemOf(p) === null);
  const preferred = hints.preferred.map(byId).find((p) => p !== undefined && usable.includes(p));
  if (preferred !== undefined) return preferred;
  const best = [...usable].sort((a, b) => (b.expiresAtMs ?? 0) - (a.expiresAtMs ?? 0))[0];
  if (best !== undefined) return best;
  if (profiles.length === 0) throw new CredentialProblem("auth_missing", "has no OpenAI OAuth profile (provider openai-codex or openai)");
  const problems = profiles.map((p) => ({ id: p.profileId, problem: problemOf(p) }));
  const code = problems.some(({ problem }) => problem?.code === "auth_expired") ? "auth_expired" : "auth_missing";
  const details = problems.map(({ id, problem }) => `"${id}" ${problem?.reason ?? ""}`).join("; ");
  throw new CredentialProblem(code, `has no usable OpenAI OAuth profile: ${details}`);
}

/** The credential to use from `store`, or a CredentialProblem saying why there is none. */
export async function chooseCredential(store: LoadedStore, options: AuthOptions, nowMs: number): Promise<StoredCredential> {
  const problemOf = (credential: StoredCredential) => usabilityProblem(credential, options.refreshMode, nowMs);
  if (store.format === "openclaw-auth-profiles" || store.format === "openclaw-sqlite") {
    return selectProfile(store.credentials, await readProfileHints(store, options), problemOf);
  }
  const usable = store.credentials.find((c) => problemOf(c) === null);
  if (usable !== undefined) return usable;
  const first = store.credentials[0];
  throw (first === undefined ? null : problemOf(first)) ?? new CredentialProblem("auth_missing", "holds no ChatGPT OAuth credential");
}
