/** Stable error codes shared by the CLI's JSON output, the library and the MCP server. */
import type { GenerateResult } from "./result.js";

export type ErrorCode =
  | "usage"
  | "auth_missing"
  | "auth_expired"
  | "auth_refresh_failed"
  | "rate_limited"
  | "policy"
  | "model_unsupported"
  | "tool_unsupported"
  | "backend"
  | "network"
  | "timeout"
  | "invalid_image"
  | "io";

export interface ErrorDetails {
  /** Whether another attempt of the same request may succeed. */
  retryable?: boolean;
  /** Seconds the backend asked us to wait before retrying (`retry-after`). */
  retryAfterSeconds?: number;
  /** HTTP status of the failed response, when there was one. */
  status?: number;
  cause?: unknown;
}

/** Base class: every error the tool raises on purpose has a stable `code` and an exit code. */
export class CodexImagenError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;
  readonly status: number | undefined;
  /** Set by `generateImages()` when a run failed: what was saved before the failure. */
  declare result?: GenerateResult;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, exitCode = 1) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.retryable = details.retryable ?? false;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.status = details.status;
  }
}

export class UsageError extends CodexImagenError {
  /** The option the error is about, spelled as the caller spells it (`--size`, `size`), when it is about one. */
  readonly option: string | undefined;
  constructor(message: string, option?: string) {
    super("usage", message, {}, 2);
    this.option = option;
  }
}

export class AuthError extends CodexImagenError {
  constructor(
    code: "auth_missing" | "auth_expired" | "auth_refresh_failed",
    message: string,
    details: ErrorDetails = {},
  ) {
    super(code, message, details);
  }
}

export class BackendError extends CodexImagenError {
  constructor(
    code: "backend" | "network" | "model_unsupported" | "tool_unsupported",
    message: string,
    details: ErrorDetails = {},
  ) {
    super(code, message, details);
  }
}

export class RateLimitError extends CodexImagenError {
  /** When the limit resets, as a Date, when the backend said. */
  readonly resetsAt: Date | undefined;
  constructor(message: string, resetsAt: Date | undefined, details: ErrorDetails = {}) {
    super("rate_limited", message, details);
    this.resetsAt = resetsAt;
  }
}

export class PolicyError extends CodexImagenError {
  constructor(message: string, details: ErrorDetails = {}) {
    super("policy", message, details);
  }
}

export class TimeoutError extends CodexImagenError {
  constructor(message: string) {
    super("timeout", message, {}, 124);
  }
}

export class InvalidImageError extends CodexImagenError {
  constructor(message: string) {
    super("invalid_image", message);
  }
}

export class IoError extends CodexImagenError {
  constructor(message: string, cause?: unknown) {
    super("io", message, { cause });
  }
}

/** Turns anything thrown into a CodexImagenError without losing a purposeful one. */
export function toCodexImagenError(error: unknown): CodexImagenError {
  if (error instanceof CodexImagenError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CodexImagenError("backend", `Unexpected failure: ${message}`, { cause: error });
}
