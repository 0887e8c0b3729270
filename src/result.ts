/** The `--json` result (spec §5): the same object the library returns and MCP reports. */

export interface SavedImage {
  path: string;
  bytes: number;
  sha256: string;
  mime: string;
  width: number | null;
  height: number | null;
  call_id: string;
  status: string;
  partial: boolean;
  revised_prompt: string | null;
  size: string | null;
  quality: string | null;
  background: string | null;
  output_format: string | null;
  /** Which `requests[]` entry produced the image (0-based). */
  request_index: number;
}

export interface RequestSummary {
  index: number;
  request_id: string | null;
  status: "ok" | "failed";
  image_count: number;
  error?: { code: string; message: string };
}

export interface RateLimitWindow {
  used_percent?: number;
  window_minutes?: number;
  resets_at?: string;
  resets_in_seconds?: number;
}

export interface RateLimits {
  primary?: RateLimitWindow;
  secondary?: RateLimitWindow;
}

/** One window of the account's limits, from the usage endpoint; null where the endpoint did not say. */
export interface UsageWindow {
  /** "primary", "secondary", ...: the endpoint's `<name>_window`. */
  name: string;
  used_percent: number | null;
  window_seconds: number | null;
  /** ISO 8601. */
  resets_at: string | null;
  resets_in_seconds: number | null;
}

/** The account's limits without generating (`--smoke --usage`, batch, serve, the studio). */
export interface UsageLimits {
  plan_type: string | null;
  windows: UsageWindow[];
  /** The endpoint's `credits` object, verbatim, when it sent one. */
  credits?: Record<string, unknown>;
  /** ISO 8601: when the limits were read. */
  fetched_at: string;
}

export interface AuthRefreshReport {
  refreshed: boolean;
  skipped: string | null;
  last_refresh: string | null;
  access_token_expires_in_seconds: number | null;
}

/** What the run asked the image tool for, after defaults and `--aspect-ratio` mapping; null where nothing was sent. */
export interface RequestedOptions {
  size: string | null;
  quality: string | null;
  background: string | null;
  output_format: string | null;
  image_model: string | null;
  count: number;
}

export const RESULT_WARNING_CODES = ["size_mismatch", "quality_mismatch", "format_mismatch"] as const;
export type ResultWarningCode = (typeof RESULT_WARNING_CODES)[number];

/** A final image that is not what was asked for; nothing is resized or re-encoded. */
export interface ResultWarning {
  code: ResultWarningCode;
  /** Names both values, e.g. "image 1 size: asked for 1536x1024, got 1024x1024". */
  message: string;
  /** The image's index in `images[]`. */
  image_index?: number;
}

export interface GenerateResult {
  request_id: string | null;
  session_id: string;
  endpoint: string;
  model: string;
  backend: string;
  image_count: number;
  /** Alias of `image_count` kept for seed compatibility. */
  imageCount: number;
  images: SavedImage[];
  requests: RequestSummary[];
  timed_out: boolean;
  retry_attempts: number;
  elapsed_ms: number;
  /** Token usage from `response.completed`; the numeric part of its `tool_usage` under `tool_usage`. Summed over `--count`. */
  usage?: Record<string, unknown>;
  rate_limits?: RateLimits;
  auth_refresh?: AuthRefreshReport;
  seen_event_types: string[];
  requested: RequestedOptions;
  /** Always present; empty when every final image is what was asked for. */
  warnings: ResultWarning[];
  usage_limits?: UsageLimits;
}
