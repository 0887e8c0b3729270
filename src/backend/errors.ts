/** Maps backend answers (HTTP errors, failure events, transport errors) to the tool's error classes. */
import type { IncomingHttpHeaders } from "node:http";
import * as z from "zod/mini";
import { tolerantNullish } from "../schema/tolerant.js";
import {
  AuthError,
  BackendError,
  type CodexImagenError,
  PolicyError,
  RateLimitError,
} from "../errors.js";
import type { BackendFailure } from "./events.js";
import { resetPhrase } from "./rate-limits.js";

const RETRYABLE_CODES = new Set([
  "server_error",
  "overloaded",
  "server_is_overloaded",
  "service_unavailable",
  "internal_error",
  "slow_down",
]);
const RATE_LIMIT_CODES = new Set(["usage_limit_reached", "rate_limit_exceeded", "rate_limit_error"]);
const POLICY_CODES = new Set(["content_policy_violation", "moderation_blocked", "content_filter", "safety_violation"]);
const POLICY_WORDS = /content policy|safety system|moderation|not allowed by our|violat/i;
const MODEL_WORDS = /\bmodel\b.*\b(not supported|unsupported|not found|does not exist|retired|deprecated|no longer (?:available|supported))\b|\b(unsupported|unknown|invalid) model\b/i;
/** A passing problem, even when the message names the model ("the model is overloaded"). */
const TRANSIENT_WORDS = /overloaded|temporarily|try again|at capacity|unavailable/i;

/** The model a request named, and the flag that chooses it. */
export interface ModelRef {
  name: string;
  flag: "--model" | "--image-model";
}

const errorBodySchema = z.looseObject({
  error: z.optional(
    z.union([
      z.looseObject({
        code: tolerantNullish(z.string()),
        type: tolerantNullish(z.string()),
        message: tolerantNullish(z.string()),
        param: tolerantNullish(z.string()),
        resets_at: tolerantNullish(z.number()),
        resets_in_seconds: tolerantNullish(z.number()),
        plan_type: tolerantNullish(z.string()),
      }),
      z.string(),
    ]),
  ),
  detail: z.optional(z.unknown()),
  message: z.optional(z.string()),
});

interface ErrorBody {
  code?: string;
  type?: string;
  message?: string;
  param?: string;
  resetsAt?: Date;
  planType?: string;
}

function parseErrorBody(text: string, now: number): ErrorBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const trimmed = text.trim();
    return { message: trimmed.startsWith("<") ? undefined : trimmed.slice(0, 300) || undefined };
  }
  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success) return {};
  const { error, detail, message } = parsed.data;
  if (typeof error === "string") return { message: error };
  const detailText = typeof detail === "string" ? detail : detail === undefined ? undefined : JSON.stringify(detail);
  const resetsAt =
    error?.resets_at != null
      ? new Date(error.resets_at * 1000)
      : error?.resets_in_seconds != null
        ? new Date(now + error.resets_in_seconds * 1000)
        : undefined;
  return {
    code: error?.code ?? undefined,
    type: error?.type ?? undefined,
    message: error?.message ?? message ?? detailText,
    param: error?.param ?? undefined,
    resetsAt,
    planType: error?.plan_type ?? undefined,
  };
}

// Access, refresh and id tokens are JWTs; the backend may quote the bearer it was sent.
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

/** Backend text with anything token-like replaced, so it can be quoted in messages. */
export function redactTokens(text: string): string {
  return text.replace(JWT, "[redacted]");
}

/** `retry-after` in seconds (number or HTTP date), when present. */
export function retryAfterSeconds(headers: IncomingHttpHeaders, now = Date.now()): number | undefined {
  const value = headers["retry-after"];
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

function resetFromHeaders(headers: IncomingHttpHeaders, now: number): Date | undefined {
  for (const window of ["primary", "secondary"]) {
    const at = Number(headers[`x-codex-${window}-reset-at`]);
    if (Number.isFinite(at) && at > 0) return new Date(at * 1000);
    const after = Number(headers[`x-codex-${window}-reset-after-seconds`]);
    if (Number.isFinite(after) && after > 0) return new Date(now + after * 1000);
  }
  return undefined;
}

/** "It resets at 25/11/2026, 14:05:00 local time (in 3600 s); try again then." */
export function describeReset(resetsAt: Date | undefined, now = Date.now()): string {
  if (!resetsAt) return "The backend did not say when it resets; try again later.";
  const seconds = Math.max(0, Math.round((resetsAt.getTime() - now) / 1000));
  return `It ${resetPhrase(resetsAt, seconds)}; try again then.`;
}

function rateLimited(body: ErrorBody, resetsAt: Date | undefined, now: number): RateLimitError {
  const plan = body.planType ? ` on the ${body.planType} plan` : "";
  const what = body.message ? `: ${body.message.replace(/[.\s]+$/, "")}` : "";
  return new RateLimitError(`Usage limit reached${plan}${what}. ${describeReset(resetsAt, now)}`, resetsAt);
}

/** The backend's message without its closing full stop, for quoting it in a sentence of ours. */
const quoted = (message: string): string => message.replace(/[.\s]+$/, "");

function modelUnsupported(model: ModelRef, message: string, status?: number): BackendError {
  const next = model.flag === "--model" ? "Choose another responses model with --model (default gpt-5.5)" : "Choose another image model with --image-model (default gpt-image-2)";
  return new BackendError("model_unsupported", `The backend rejected the model "${model.name}": ${quoted(message)}. ${next}.`, { status });
}

/** The message says the model itself is the problem (not a passing overload that mentions it). */
function namesModel(message: string | undefined, model: ModelRef): boolean {
  if (!message || TRANSIENT_WORDS.test(message)) return false;
  return MODEL_WORDS.test(message) || message.includes(`'${model.name}'`) || message.includes(`"${model.name}"`);
}

/** Classifies an HTTP error answer from the responses endpoint. */
export function classifyHttpError(
  status: number,
  bodyText: string,
  headers: IncomingHttpHeaders,
  model: ModelRef,
  now = Date.now(),
): CodexImagenError {
  const body = parseErrorBody(redactTokens(bodyText), now);
  const detail = body.message ?? `HTTP ${status}`;
  const code = body.code ?? body.type;
  if (status === 401) {
    return new AuthError("auth_expired", `The backend rejected the access token (HTTP 401: ${detail}).`, { status });
  }
  if (status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code))) {
    return rateLimited(body, body.resetsAt ?? resetFromHeaders(headers, now), now);
  }
  const namesTool = body.param === "tools" || body.param === "tool_choice" || /image_generation/.test(detail);
  if ((status === 400 || status === 404) && namesTool) {
    return new BackendError(
      "tool_unsupported",
      `The backend refused the image_generation tool (HTTP ${status}: ${detail}). This account or endpoint may not offer it; check --base-url.`,
      { status },
    );
  }
  if (namesModel(body.message, model)) return modelUnsupported(model, detail, status);
  if ((code !== undefined && POLICY_CODES.has(code)) || (status === 400 && POLICY_WORDS.test(detail))) {
    return new PolicyError(`The request was refused by the backend's content policy: ${quoted(detail)}. Change the prompt or reference images.`, { status });
  }
  if (status === 403) {
    return new BackendError(
      "backend",
      `The backend refused the request (HTTP 403${body.message ? `: ${body.message}` : ""}). Check --base-url (it must end in /backend-api/codex) and that your login has ChatGPT access (run \`codex login\` again if unsure).`,
      { status },
    );
  }
  if (status >= 500 || (code !== undefined && RETRYABLE_CODES.has(code))) {
    return new BackendError("backend", `The backend failed (HTTP ${status}: ${detail}).`, {
      status,
      retryable: true,
      retryAfterSeconds: retryAfterSeconds(headers, now),
    });
  }
  return new BackendError("backend", `The backend rejected the request (HTTP ${status}: ${detail}).`, { status });
}

/** Classifies a `response.failed` / `error` event received in the stream; `headers` are the stream's (reset times). */
export function classifyFailureEvent(failure: BackendFailure, model: ModelRef, now = Date.now(), headers: IncomingHttpHeaders = {}): CodexImagenError {
  const code = failure.code ?? failure.type;
  failure = { ...failure, ...(failure.message !== undefined && { message: redactTokens(failure.message) }) };
  const detail = failure.message ?? code ?? "unknown error";
  if (code !== undefined && RATE_LIMIT_CODES.has(code)) return rateLimited({ message: failure.message }, resetFromHeaders(headers, now), now);
  if ((code !== undefined && POLICY_CODES.has(code)) || POLICY_WORDS.test(detail)) {
    return new PolicyError(`The backend refused to generate the image: ${quoted(detail)}. Change the prompt or reference images.`);
  }
  if (namesModel(failure.message, model)) return modelUnsupported(model, detail);
  if ((code !== undefined && RETRYABLE_CODES.has(code)) || TRANSIENT_WORDS.test(detail)) {
    return new BackendError("backend", `The backend failed while generating (${detail}).`, { retryable: true });
  }
  return new BackendError("backend", `The backend failed while generating (${code ? `${code}: ` : ""}${failure.message ?? "no message"}).`);
}

const TRANSIENT_NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ERR_STREAM_PREMATURE_CLOSE",
  "UND_ERR_SOCKET",
]);

/** Classifies a transport failure (socket errors, cut streams) as a retryable network error. */
export function classifyTransportError(error: unknown, url: string): BackendError {
  if (error instanceof BackendError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const host = new URL(url).host;
  const known = typeof code === "string" && TRANSIENT_NETWORK_CODES.has(code);
  return new BackendError(
    "network",
    `Network error talking to ${host} (${known ? code : message}). Check your connection or --base-url.`,
    { retryable: true, cause: error },
  );
}
