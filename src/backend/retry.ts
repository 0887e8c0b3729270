/** When and how long to wait before another attempt. */
import type { CodexImagenError } from "../errors.js";

const BACKOFF_SECONDS = [1, 2, 4, 8];
const MAX_JITTER_MS = 1000;
export const MAX_RETRY_AFTER_SECONDS = 60;

/** Transient failures are retried, but never once an image was saved (that would duplicate work). */
export function shouldRetry(error: CodexImagenError, imagesSaved: number, attemptsLeft: number): boolean {
  return error.retryable && imagesSaved === 0 && attemptsLeft > 0;
}

/** Delay before retry number `retry` (1-based): exponential backoff with jitter, or the backend's `retry-after`. */
export function retryDelayMs(retry: number, error: CodexImagenError, random: () => number = Math.random): number {
  if (error.retryAfterSeconds !== undefined) {
    return Math.min(error.retryAfterSeconds, MAX_RETRY_AFTER_SECONDS) * 1000;
  }
  const base = BACKOFF_SECONDS[Math.min(retry, BACKOFF_SECONDS.length) - 1] ?? 8;
  return base * 1000 + Math.floor(random() * MAX_JITTER_MS);
}
