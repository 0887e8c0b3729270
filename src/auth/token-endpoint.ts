/** The OAuth refresh grant: one POST to the token endpoint, answers validated, server text never echoed. */
import * as z from "zod/mini";
import { nonEmptyString, optionalText, tolerant } from "../schema/tolerant.js";
import { fetchWithProxy } from "../net/http.js";
import { sleep } from "../sleep.js";
import { AuthError } from "../errors.js";
import type { AuthFormat } from "./credential.js";
import { decodeJwtClaims } from "./jwt.js";
import { loginCommand } from "./login-hint.js";
import type { NewTokens } from "./stores/types.js";

/** The Codex CLI's OAuth client id. */
export const CODEX_CLIENT_ID = "app_EMoamEEZ73f0CkXaXp7hrann";
const REFRESH_TIMEOUT_MS = 30_000;

const TokenAnswerSchema = z.looseObject({
  access_token: nonEmptyString,
  refresh_token: optionalText,
  id_token: optionalText,
  expires_in: tolerant(z.number().check(z.positive())),
});

const ErrorAnswerSchema = z.looseObject({
  error: z.optional(z.union([z.string(), z.looseObject({ code: z.optional(z.string()), type: z.optional(z.string()) })])),
  error_description: z.optional(z.string()),
});

/** The OAuth error code, only when it looks like one (server text is never echoed). */
function oauthErrorCode(body: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = ErrorAnswerSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { error } = parsed.data;
  const code = typeof error === "string" ? error : (error?.code ?? error?.type);
  if (code !== undefined && /^[a-z_]{1,64}$/.test(code)) return code;
  return /already been used/i.test(body) ? "refresh_token_reused" : undefined;
}

/** The token endpoint refused the refresh token (HTTP 400/401): the login must be renewed, unless recovery helps. */
export class RefreshTokenRejected extends AuthError {
  constructor(
    readonly oauthCode: string | undefined,
    message: string,
    status: number,
  ) {
    super("auth_expired", message, { status });
  }

  /** Single-use refresh tokens: someone else already traded this one in. */
  get reused(): boolean {
    return this.oauthCode === "refresh_token_reused";
  }
}

function rejected(status: number, body: string, format: AuthFormat): AuthError {
  const code = oauthErrorCode(body);
  const why = code === undefined ? `HTTP ${status}` : `${code}, HTTP ${status}`;
  if (status === 400 || status === 401) {
    return new RefreshTokenRejected(code, `The login's refresh token was rejected (${why}); log in again with ${loginCommand(format)}.`, status);
  }
  const retryable = status === 429 || status >= 500;
  return new AuthError("auth_refresh_failed", `The token refresh failed (${why}); ${retryable ? "try again shortly" : "try again, or log in again"}. Nothing was changed.`, {
    status,
    retryable,
  });
}

/** Connection failures where the grant never left this machine. */
const UNSENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);
/** Waits before the 2nd and 3rd try of a refresh that failed without being processed. */
const RETRY_DELAYS_MS = [500, 1500];

function unsent(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === "string" && UNSENT_CODES.has(code);
}

type Answer = { status: number; body: string } | { error: AuthError; retryable: boolean };

async function postGrant(url: string, refreshToken: string, signal: AbortSignal): Promise<Answer> {
  const timeout = AbortSignal.timeout(REFRESH_TIMEOUT_MS);
  try {
    const response = await fetchWithProxy(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ client_id: CODEX_CLIENT_ID, grant_type: "refresh_token", refresh_token: refreshToken }),
      signal: AbortSignal.any([signal, timeout]),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    const what = timeout.aborted ? `timed out after ${REFRESH_TIMEOUT_MS / 1000} s` : "could not reach the token endpoint";
    // After a timeout, another 30 s wait is worse than asking the user to try again.
    const retryable = !timeout.aborted && unsent(error);
    return { error: new AuthError("auth_refresh_failed", `The token refresh ${what} (${url}); nothing was changed, try again.`, { retryable: true, cause: error }), retryable };
  }
}

/**
 * POSTs the refresh grant, again after a 5xx or a connection that never opened (a grant the endpoint
 * used up is lost either way, so retrying cannot make it worse); never sends or reports anything but
 * the refresh token it was given.
 */
export async function requestTokenRefresh(url: string, refreshToken: string, format: AuthFormat, signal: AbortSignal): Promise<NewTokens> {
  let answer = await postGrant(url, refreshToken, signal);
  for (const delayMs of RETRY_DELAYS_MS) {
    const retryable = "error" in answer ? answer.retryable : answer.status >= 500;
    if (!retryable) break;
    await sleep(delayMs, signal);
    answer = await postGrant(url, refreshToken, signal);
  }
  if ("error" in answer) throw answer.error;
  const { status, body } = answer;
  if (status < 200 || status >= 300) throw rejected(status, body, format);
  let parsed: z.infer<typeof TokenAnswerSchema>;
  try {
    parsed = TokenAnswerSchema.parse(JSON.parse(body));
  } catch {
    throw new AuthError("auth_refresh_failed", `The token endpoint (${url}) answered without an access token; nothing was changed. Try again, or log in again.`, {
      status,
    });
  }
  const exp = decodeJwtClaims(parsed.access_token).expiresAtMs;
  return {
    access: parsed.access_token,
    refresh: parsed.refresh_token ?? null,
    idToken: parsed.id_token ?? null,
    expiresAtMs: exp ?? (parsed.expires_in === undefined ? null : Date.now() + parsed.expires_in * 1000),
  };
}
