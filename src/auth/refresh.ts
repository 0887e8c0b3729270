/** One refresh among any number of processes: lock → re-read → (skip | token request → write), with recovery from spent tokens. */
import { sleep } from "../sleep.js";
import { AuthError } from "../errors.js";
import type { AuthOptions } from "../options.js";
import { freshMainProfile } from "./inherit.js";
import { refreshLockPaths, type RefreshLockPaths } from "./lock-paths.js";
import { withLock, type LockTiming } from "./lock.js";
import { loginCommand } from "./login-hint.js";
import { findCredential, focusStore, reloadStore, writeTokens } from "./store.js";
import { CredentialProblem, type LoadedStore, type NewTokens, type StoredCredential } from "./stores/types.js";
import { RefreshTokenRejected, requestTokenRefresh } from "./token-endpoint.js";
import { isFresh, isUnexpired } from "./usable.js";

export interface RefreshOutcome {
  readonly store: LoadedStore;
  readonly credential: StoredCredential;
  readonly refreshed: boolean;
  /** Why no refresh was needed after all. */
  readonly skipped: string | null;
}

export const SKIP_ALREADY_REFRESHED = "another process already refreshed the access token";
export const SKIP_REUSED_STILL_VALID = "refresh_token_reused; access token still valid";
export const SKIP_INHERITED = "inherited fresh OpenClaw main auth";

/** How long a pending OpenClaw fence is waited for. */
const FENCE_WAIT_MS = 60_000;
const FENCE_POLL_MS = 250;

export interface RefreshRequest {
  /** The store as found (re-read under the lock). */
  readonly store: LoadedStore;
  /** The credential to refresh (its profile id / provider locate it again). */
  readonly ref: StoredCredential;
  /** The access token the caller holds: a different fresh one in the store means another process refreshed. */
  readonly staleAccess: string | null;
  /** Refresh even if the store now holds a fresh token (`--force-refresh`). */
  readonly force: boolean;
  /** The backend rejected `staleAccess` (HTTP 401): it is never "still valid". */
  readonly unauthorized: boolean;
  readonly options: Pick<AuthOptions, "refreshUrl" | "env" | "homeDir">;
  /** Tests shorten the waits. */
  readonly timing?: { readonly fenceWaitMs?: number; readonly lock?: LockTiming };
}

const FENCED = Symbol("fenced");

function outcome(store: LoadedStore, credential: StoredCredential, refreshed: boolean, skipped: string | null): RefreshOutcome {
  return { store: focusStore(store, credential), credential, refreshed, skipped };
}

function profileName(credential: StoredCredential): string {
  return credential.profileId === null ? "" : ` (profile "${credential.profileId}")`;
}

async function reread(request: RefreshRequest): Promise<{ store: LoadedStore; current: StoredCredential }> {
  const store = await reloadStore(request.store);
  const current = findCredential(store, request.ref);
  if (current === undefined) throw new CredentialProblem("auth_missing", "no longer holds the credential being refreshed");
  if (current.fence === "failed") {
    throw new AuthError(
      "auth_expired",
      `OpenClaw's last refresh of ${request.store.path}${profileName(current)} failed for good and left no refresh token; log in again with ${loginCommand(store.format)}.`,
    );
  }
  return { store, current };
}

async function write(request: RefreshRequest, locks: RefreshLockPaths, current: StoredCredential, tokens: NewTokens, signal: AbortSignal): Promise<LoadedStore> {
  const save = () => writeTokens(request.store, current, tokens, new Date());
  // OpenClaw's JSON-era store lock guards only the re-read + write, never the HTTP call.
  return locks.store === null ? save() : withLock(locks.store, signal, save, { timing: request.timing?.lock });
}

async function grantAndWrite(request: RefreshRequest, locks: RefreshLockPaths, store: LoadedStore, current: StoredCredential, refresh: string, signal: AbortSignal): Promise<RefreshOutcome> {
  const tokens = await requestTokenRefresh(request.options.refreshUrl, refresh, store.format, signal);
  const updated = await write(request, locks, current, tokens, signal);
  const credential = findCredential(updated, current);
  if (credential === undefined) throw new CredentialProblem("auth_missing", "no longer holds the credential being refreshed");
  return outcome(updated, credential, true, null);
}

/**
 * The refresh token was already spent (another process, the Codex CLI, or OpenClaw). In order: tokens
 * someone wrote meanwhile, one retry with a rotated refresh token, a still-valid access token, the
 * main OpenClaw agent's fresh login for the same account; else the rejection stands.
 */
async function recoverFromReuse(request: RefreshRequest, locks: RefreshLockPaths, spent: StoredCredential, rejection: RefreshTokenRejected, signal: AbortSignal): Promise<RefreshOutcome> {
  const { store, current } = await reread(request);
  if (current.fence === undefined) {
    if (current.access !== spent.access && isFresh(current, Date.now())) return outcome(store, current, false, SKIP_ALREADY_REFRESHED);
    if (current.refresh !== null && current.refresh !== spent.refresh) {
      try {
        return await grantAndWrite(request, locks, store, current, current.refresh, signal);
      } catch (error) {
        if (!(error instanceof RefreshTokenRejected && error.reused)) throw error;
      }
    }
    const known401 = request.unauthorized && current.access === request.staleAccess;
    if (!known401 && isUnexpired(current, Date.now())) return outcome(store, current, false, SKIP_REUSED_STILL_VALID);
  }
  const main = await freshMainProfile(store, current, request.options);
  if (main === undefined || main.access === null) throw rejection;
  const tokens: NewTokens = { access: main.access, refresh: main.refresh, idToken: null, expiresAtMs: main.expiresAtMs };
  const updated = await write(request, locks, current, tokens, signal);
  return outcome(updated, findCredential(updated, current) ?? current, false, SKIP_INHERITED);
}

/** Someone else's fresh tokens in the store: nothing left to do (writes are atomic, so reading needs no lock). */
function refreshedElsewhere(request: RefreshRequest, store: LoadedStore, current: StoredCredential): RefreshOutcome | undefined {
  const fresh = !request.force && current.access !== request.staleAccess && isFresh(current, Date.now());
  return fresh ? outcome(store, current, false, SKIP_ALREADY_REFRESHED) : undefined;
}

/** Under the refresh lock: re-read, then skip, refresh, or report a pending OpenClaw fence. */
function lockedRefresh(request: RefreshRequest, locks: RefreshLockPaths, signal: AbortSignal): Promise<RefreshOutcome | typeof FENCED> {
  return withLock<RefreshOutcome | typeof FENCED>(
    locks.refresh,
    signal,
    async () => {
      const { store, current } = await reread(request);
      const skip = refreshedElsewhere(request, store, current);
      if (skip !== undefined) return skip;
      if (current.fence === "pending") return FENCED;
      if (current.refresh === null) {
        throw new AuthError("auth_expired", `${request.store.path}${profileName(current)} has no refresh token; log in again with ${loginCommand(store.format)}.`);
      }
      try {
        return await grantAndWrite(request, locks, store, current, current.refresh, signal);
      } catch (error) {
        if (!(error instanceof RefreshTokenRejected && error.reused)) throw error;
        return recoverFromReuse(request, locks, current, error, signal);
      }
    },
    {
      timing: request.timing?.lock,
      // While the holder works, its result may already be in the store.
      instead: async () => {
        if (request.force) return undefined;
        const { store, current } = await reread(request);
        return refreshedElsewhere(request, store, current);
      },
    },
  );
}

/** OpenClaw holds no lock during its token request: poll (lock-free) until its fence gives way to tokens. */
async function waitForFence(request: RefreshRequest, signal: AbortSignal): Promise<void> {
  const waitMs = request.timing?.fenceWaitMs ?? FENCE_WAIT_MS;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const { store, current } = await reread(request);
    if (current.fence !== "pending") return;
    if (Date.now() >= deadline) {
      throw new AuthError(
        "auth_expired",
        `OpenClaw began refreshing ${request.store.path}${profileName(current)} but did not finish within ${Math.round(waitMs / 1000)} s; log in again with ${loginCommand(store.format)}.`,
      );
    }
    await sleep(FENCE_POLL_MS, signal);
  }
}

function problemError(path: string, problem: CredentialProblem): AuthError {
  return new AuthError(problem.code, `Cannot refresh: ${path} ${problem.reason}; nothing was written.`);
}

/** Refreshes `request.ref` so that any number of processes sharing the store make one token request between them. */
export async function refreshCredential(request: RefreshRequest, signal: AbortSignal): Promise<RefreshOutcome> {
  const locks = refreshLockPaths(request.store, request.ref, request.options);
  try {
    for (let round = 0; round < 3; round += 1) {
      const result = await lockedRefresh(request, locks, signal);
      if (result !== FENCED) return result;
      await waitForFence(request, signal);
    }
    throw new AuthError("auth_expired", `OpenClaw keeps starting new refreshes of ${request.store.path}; log in again with ${loginCommand(request.store.format)}.`);
  } catch (error) {
    throw error instanceof CredentialProblem ? problemError(request.store.path, error) : error;
  }
}
