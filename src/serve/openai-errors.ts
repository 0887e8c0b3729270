/** Every failure as OpenAI's error answer: `{"error": {message, type, param, code}}` with OpenAI's statuses (spec §7). */
import { ANY_LOGIN, CODEX_LOGIN, OPENCLAW_JSON_LOGIN, OPENCLAW_SQLITE_LOGIN } from "../auth/login-hint.js";
import { redactTokens } from "../backend/errors.js";
import { type CodexImagenError, CodexImagenError as BaseError, RateLimitError, UsageError } from "../errors.js";

export interface OpenAiError {
  status: number;
  message: string;
  type: string;
  param: string | null;
  code: string | null;
  /** Sent as `retry-after` (whole seconds). */
  retryAfterSeconds?: number;
}

/** A failure the server itself answers with (bad field, body too large, queue full, ...). */
export class HttpError extends Error {
  readonly answer: OpenAiError;
  constructor(status: number, message: string, details: { type?: string; param?: string; code?: string; retryAfterSeconds?: number } = {}) {
    super(message);
    this.answer = {
      status,
      message,
      type: details.type ?? (status >= 500 ? "server_error" : "invalid_request_error"),
      param: details.param ?? null,
      code: details.code ?? null,
      ...(details.retryAfterSeconds !== undefined && { retryAfterSeconds: details.retryAfterSeconds }),
    };
  }
}

export const badRequest = (param: string | undefined, message: string): HttpError => new HttpError(400, message, { param, code: "invalid_value" });

export const tooLarge = (param: string | undefined, message: string): HttpError => new HttpError(413, message, { param, code: "request_too_large" });

export const shuttingDown = (): HttpError =>
  new HttpError(503, "The server is shutting down; retry once it is back (or against another instance).", { code: "shutting_down", retryAfterSeconds: 1 });

/** How this request's fields are named, for a UsageError's `option`. */
export type ParamOf = (option: string | undefined) => string | undefined;

const LOGINS = [OPENCLAW_SQLITE_LOGIN, OPENCLAW_JSON_LOGIN, CODEX_LOGIN];

/** Auth messages name the credential file: answers name only the login command that fixes it. */
function loginProblem(error: CodexImagenError): string {
  const login = (error.code !== "auth_missing" && LOGINS.find((command) => error.message.includes(command))) || ANY_LOGIN;
  const what =
    error.code === "auth_missing"
      ? "found no ChatGPT/Codex login"
      : error.code === "auth_refresh_failed"
        ? "could not refresh its ChatGPT/Codex login"
        : "has a ChatGPT/Codex login that expired or was rejected";
  return `The codex-imagen server ${what}. On the machine it runs on, log in with ${login}, then retry (no restart needed).`;
}

function retryAfter(error: RateLimitError, now: number): number | undefined {
  if (error.resetsAt !== undefined) return Math.max(1, Math.ceil((error.resetsAt.getTime() - now) / 1000));
  return error.retryAfterSeconds === undefined ? undefined : Math.max(1, Math.ceil(error.retryAfterSeconds));
}

/** A run's error as OpenAI would answer it. */
function fromRunError(error: CodexImagenError, paramOf: ParamOf, now: number): OpenAiError {
  const message = redactTokens(error.message);
  switch (error.code) {
    case "usage": {
      const option = error instanceof UsageError ? error.option : undefined;
      const param = paramOf(option) ?? null;
      // Reference messages start with the CLI flag ("--input-ref: ..."): name the request's field instead.
      const text = option !== undefined && param !== null && message.startsWith(`${option}: `) ? `${param}: ${message.slice(option.length + 2)}` : message;
      return { status: 400, message: text, type: "invalid_request_error", param, code: "invalid_value" };
    }
    case "auth_missing":
    case "auth_expired":
    case "auth_refresh_failed":
      return { status: 503, message: loginProblem(error), type: "server_error", param: null, code: error.code };
    case "rate_limited": {
      const seconds = error instanceof RateLimitError ? retryAfter(error, now) : undefined;
      return { status: 429, message, type: "requests", param: null, code: "rate_limit_exceeded", ...(seconds !== undefined && { retryAfterSeconds: seconds }) };
    }
    case "policy":
      return { status: 400, message, type: "image_generation_user_error", param: null, code: "moderation_blocked" };
    case "timeout":
      return { status: 504, message, type: "api_error", param: null, code: "timeout" };
    case "io":
      return { status: 500, message, type: "server_error", param: null, code: "io" };
    case "backend":
    case "network":
    case "model_unsupported":
    case "tool_unsupported":
    case "invalid_image":
      return { status: 502, message, type: "api_error", param: null, code: error.code };
  }
}

/** Anything thrown while answering a request, as OpenAI's error answer. */
export function toOpenAiError(thrown: unknown, paramOf: ParamOf = () => undefined, now = Date.now()): OpenAiError {
  if (thrown instanceof HttpError) return thrown.answer;
  if (thrown instanceof BaseError) return fromRunError(thrown, paramOf, now);
  const detail = redactTokens(thrown instanceof Error ? thrown.message : String(thrown));
  return { status: 500, message: `The server failed unexpectedly (${detail}); see its log.`, type: "server_error", param: null, code: null };
}

/** The JSON error answer with its headers. */
export function errorResponse(error: OpenAiError, headers: Record<string, string> = {}): Response {
  const body = JSON.stringify({ error: { message: error.message, type: error.type, param: error.param, code: error.code } });
  return new Response(body, {
    status: error.status,
    headers: {
      "content-type": "application/json",
      ...(error.retryAfterSeconds !== undefined && { "retry-after": String(error.retryAfterSeconds) }),
      ...headers,
    },
  });
}
