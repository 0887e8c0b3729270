/** Defaults shared by the CLI, the library and the MCP server (spec §2). */
import type { ImageDetail } from "./options.js";

export const DEFAULT_MODEL = "gpt-5.5";
export const DEFAULT_BASE_URL = "https://chatgpt.com/backend-api/codex";
export const DEFAULT_REFRESH_URL = "https://auth.openai.com/oauth/token";
export const DEFAULT_TIMEOUT_SECONDS = 300;
export const DEFAULT_RETRIES = 4;
export const MAX_RETRIES = 10;
export const DEFAULT_IMAGE_DETAIL: ImageDetail = "high";
/** Node timers hold at most 2^31-1 ms (about 24.8 days); longer timeouts would fire at once. */
export const MAX_TIMEOUT_MS = 2_147_483_647;
/** `batch`: upstream requests at once across all jobs (spec §8). */
export const DEFAULT_BATCH_CONCURRENCY = 4;
export const MAX_BATCH_CONCURRENCY = 32;
/** `batch`: longest wait for one usage-limit reset. */
export const DEFAULT_MAX_WAIT_SECONDS = 3600;
