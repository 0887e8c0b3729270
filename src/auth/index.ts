/** auth/'s public surface: a credential for one run, the `--smoke` summary, and `--refresh-only`. */
import { AuthError } from "../errors.js";
import type { AuthOptions } from "../options.js";
import type { AuthRefreshReport } from "../result.js";
import type { AuthSession, Credential, SharedAuth } from "./credential.js";
import { firstUsable, type Discovered } from "./discover.js";
import { loginCommand } from "./login-hint.js";
import type { RefreshOutcome } from "./refresh.js";
import type { LoadedStore, StoredCredential } from "./stores/types.js";
import { isFresh, needsRefresh, REFRESH_MARGIN_MS } from "./usable.js";

interface Current {
  readonly store: LoadedStore;
  readonly credential: StoredCredential;
}

function expiresInSeconds(credential: StoredCredential): number | null {
  return credential.expiresAtMs === null ? null : Math.floor((credential.expiresAtMs - Date.now()) / 1000);
}

function toCredential({ store, credential }: Current): Credential {
  if (credential.access === null || credential.accountId === null) {
    throw new AuthError("auth_expired", `${store.path} holds no usable access token; log in again with ${loginCommand(store.format)}.`);
  }
  return {
    accessToken: credential.access,
    accountId: credential.accountId,
    path: store.path,
    format: store.format,
    profileId: credential.profileId,
    provider: credential.provider,
    email: credential.email,
    lastRefresh: credential.lastRefresh,
    expiresAtMs: credential.expiresAtMs,
    refreshTokenPresent: credential.refresh !== null,
  };
}

function report(outcome: RefreshOutcome): AuthRefreshReport {
  const { credential, refreshed, skipped } = outcome;
  return {
    refreshed,
    skipped,
    last_refresh: credential.lastRefresh ?? (refreshed ? new Date().toISOString() : null),
    access_token_expires_in_seconds: expiresInSeconds(credential),
  };
}

/** Loaded only when a token is due: the lock and token-request code (and Node's crypto and https) stay out of the other starts. */
async function refresh(current: Current, options: AuthOptions, how: { force?: boolean; unauthorized?: boolean }, signal: AbortSignal): Promise<RefreshOutcome> {
  const { store, credential } = current;
  const { refreshCredential } = await import("./refresh.js");
  return refreshCredential(
    { store, ref: credential, staleAccess: credential.access, force: how.force ?? false, unauthorized: how.unauthorized ?? false, options },
    signal,
  );
}

/** The first usable source, refreshed when `refreshMode` says so; an auto-discovered login that cannot be renewed gives way to the next. */
function firstRefreshed(
  options: AuthOptions,
  signal: AbortSignal,
  wanted: (found: Discovered) => boolean,
  onWarning: (message: string) => void,
): Promise<RefreshOutcome | Discovered> {
  return firstUsable(
    options,
    Date.now(),
    async (found) => (wanted(found) ? refresh(found, options, { force: options.refreshMode === "force" }, signal) : found),
    onWarning,
  );
}

const isOutcome = (value: RefreshOutcome | Discovered): value is RefreshOutcome => "refreshed" in value;

class Session implements AuthSession {
  #current: Current;
  #credential: Credential;
  #report: AuthRefreshReport | undefined;
  #retry: Promise<Credential> | undefined;
  #retried = false;
  readonly #options: AuthOptions;

  constructor(current: Current, report: AuthRefreshReport | undefined, options: AuthOptions) {
    this.#options = options;
    this.#current = current;
    this.#credential = toCredential(current);
    this.#report = report;
  }

  get credential(): Credential {
    return this.#credential;
  }

  get refreshReport(): AuthRefreshReport | undefined {
    return this.#report;
  }

  async refreshAfterUnauthorized(signal: AbortSignal): Promise<Credential> {
    const login = loginCommand(this.#current.store.format);
    if (this.#options.refreshMode === "never") {
      throw new AuthError("auth_expired", `The backend rejected the access token (HTTP 401) and --no-refresh forbids refreshing it; drop --no-refresh or log in again with ${login}.`);
    }
    if (this.#retried) {
      throw new AuthError("auth_expired", `The backend rejected the access token again after a refresh (HTTP 401); log in again with ${login}.`);
    }
    // Requests running in parallel that hit the same 401 share one refresh.
    this.#retry ??= refresh(this.#current, this.#options, { unauthorized: true }, signal).then((outcome) => {
      this.#current = outcome;
      this.#credential = toCredential(outcome);
      this.#report = report(outcome);
      this.#retried = true;
      return this.#credential;
    });
    return this.#retry;
  }
}

/**
 * Discover → select → refresh when needed (`refreshMode`) → a credential for this run. No lock unless a
 * refresh is due. `onWarning` hears about sources passed over on the way.
 */
export async function openAuthSession(options: AuthOptions, signal: AbortSignal, onWarning: (message: string) => void = () => {}): Promise<AuthSession> {
  const found = await firstRefreshed(options, signal, (d) => needsRefresh(d.credential, options.refreshMode, Date.now()), onWarning);
  if (isOutcome(found)) return new Session(found, report(found), options);
  // Only --no-refresh gets here with a token that is not fresh.
  const noRefresh = isFresh(found.credential, Date.now())
    ? undefined
    : { refreshed: false, skipped: "--no-refresh", last_refresh: found.credential.lastRefresh, access_token_expires_in_seconds: expiresInSeconds(found.credential) };
  return new Session(found, noRefresh, options);
}

/** Resolves like `promise`, or rejects with the signal's reason as soon as it aborts; the promise itself runs on. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/**
 * One auth session for a long-lived caller: opened on first use (so a missing login is each request's
 * error, not the server's), shared by every run while its token is fresh, reopened — one refresh under
 * the lock — when it nears expiry, and dropped when a refresh after a 401 fails, so a new login is
 * picked up without a restart. `lifetime` aborts opens in flight (one caller's abort never does).
 */
export function createSharedAuth(options: AuthOptions, lifetime: AbortSignal, onWarning: (message: string) => void = () => {}): SharedAuth {
  let current: Promise<AuthSession> | undefined;
  const open = (): Promise<AuthSession> => {
    const opening: Promise<AuthSession> = openAuthSession(options, lifetime, onWarning).then((session) => ({
      get credential() {
        return session.credential;
      },
      get refreshReport() {
        return session.refreshReport;
      },
      refreshAfterUnauthorized: (signal: AbortSignal) =>
        session.refreshAfterUnauthorized(signal).catch((error: unknown) => {
          if (current === opening) current = undefined;
          throw error;
        }),
    }));
    opening.catch(() => {
      if (current === opening) current = undefined;
    });
    return opening;
  };
  const expiring = (session: AuthSession): boolean =>
    options.refreshMode !== "never" && session.credential.expiresAtMs !== null && session.credential.expiresAtMs - Date.now() <= REFRESH_MARGIN_MS;
  return {
    async session(signal: AbortSignal): Promise<AuthSession> {
      const cached = current;
      if (cached !== undefined) {
        const session = await untilAborted(cached, signal);
        if (!expiring(session)) return session;
        if (current === cached) current = undefined;
      }
      current ??= open();
      return untilAborted(current, signal);
    },
  };
}

export interface SmokeExtras {
  endpoint: string;
  model: string;
  out_dir: string;
  retries: number;
  timeout_seconds: number;
}

export interface Smoke {
  /** The `--smoke --json` object; `warnings` only when there are some. */
  summary: Record<string, unknown>;
  /** A session on the credential checked, for asking the backend about it (`--smoke --usage`); throws when it holds no access token. */
  session(): AuthSession;
}

/** `--smoke`: the credential's summary, without calling the backend; refreshes only with `--force-refresh`. */
export async function smokeSummary(options: AuthOptions, extras: SmokeExtras, signal: AbortSignal = new AbortController().signal): Promise<Smoke> {
  const warnings: string[] = [];
  const found = await firstRefreshed(options, signal, () => options.refreshMode === "force", (message) => warnings.push(message));
  const { store, credential } = found;
  if (process.platform !== "win32" && (store.mode & 0o044) !== 0) {
    warnings.push(`${store.path} is readable by other users (mode ${(store.mode & 0o777).toString(8)}); run: chmod 600 ${store.path}`);
  }
  const summary = {
    auth_path: store.path,
    auth_format: store.format,
    profile_id: credential.profileId,
    provider: credential.provider,
    email: credential.email,
    account_id: credential.accountId,
    last_refresh: credential.lastRefresh,
    access_token_expires_in_seconds: expiresInSeconds(credential),
    refresh_token_present: credential.refresh !== null,
    ...extras,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
  return { summary, session: () => new Session(found, isOutcome(found) ? report(found) : undefined, options) };
}

/** The `--refresh-only --json` object: refreshes when the token expires within 5 minutes, or always with `--force-refresh`. `warnings` only when there are some. */
export async function refreshOnly(options: AuthOptions, signal: AbortSignal): Promise<Record<string, unknown>> {
  const warnings: string[] = [];
  const found = await firstRefreshed(options, signal, (d) => needsRefresh(d.credential, options.refreshMode, Date.now()), (message) => warnings.push(message));
  const outcome: RefreshOutcome = isOutcome(found) ? found : { ...found, refreshed: false, skipped: "access token still valid" };
  return {
    auth_path: outcome.store.path,
    refreshed: outcome.refreshed,
    skipped: outcome.skipped,
    profile_id: outcome.credential.profileId,
    account_id: outcome.credential.accountId,
    access_token_expires_in_seconds: expiresInSeconds(outcome.credential),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}
