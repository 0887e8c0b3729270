/** What the page and the studio's server say to each other over HTTP (types only; both sides import them). */
import type { RequestedOptions, ResultWarning, UsageLimits } from "../result.js";
import type { StudioOptions } from "./options.js";

export const API = "/studio/api";
/**
 * Sent by the page on every API call. A page elsewhere cannot send it without a preflight the server refuses, and
 * an <img> or a link (which carry no Origin, so the Origin check cannot tell) cannot send it at all.
 */
export const PAGE_HEADER = "x-codex-imagen-page";
export const FILES = "/studio/files";

export interface PageError {
  code: string;
  message: string;
  /** The option or field to correct, when the error is about one. */
  param?: string | null;
  /** When a usage limit resets (ISO 8601), for `rate_limited`. */
  resets_at?: string | null;
}

/** A file of the library, with the URL the page loads it from. */
export interface PageFile {
  /** Relative to the library folder, `/`-separated. */
  path: string;
  url: string;
  sha256: string;
  mime: string;
  width: number | null;
  height: number | null;
  bytes: number;
}

export interface PageImage extends PageFile {
  revised_prompt: string | null;
  /** What the backend declared, when it did (the file's real type is `mime`, its real size `width`x`height`). */
  quality: string | null;
  output_format: string | null;
  /** The library's thumbnail (longest side ≤ 256 px), when the page has made one. */
  thumb_url: string | null;
  /** Which of the run's requests made it (its tile), when known. */
  request_index: number | null;
}

export interface PageRun {
  id: string;
  /** ISO 8601. */
  time: string;
  kind: "generate" | "edit";
  prompt: string;
  options: StudioOptions;
  references: PageFile[];
  mask: PageFile | null;
  /** The image this run edited, for a continued thread. */
  parent: { run: string; image: number } | null;
  images: PageImage[];
  /** "Keep unmasked pixels" composites, each made from `images[of]`. */
  composites: Array<{ of: number; image: PageImage }>;
  /** What was sent, after the server's defaults (null when the run failed before sending). */
  requested: RequestedOptions | null;
  warnings: ResultWarning[];
  usage: Record<string, unknown> | null;
  request_ids: string[];
  error: PageError | null;
  elapsed_ms: number;
  /** The Responses model and the backend that served the run. */
  model: string | null;
  backend: string | null;
}

export interface RunRequest {
  prompt: string;
  options: StudioOptions;
  /** Library paths (an upload's `inputs/...` or a result's `images/...`), in order: the first is "Image 1". */
  references: string[];
  /** A library path of a PNG whose transparent pixels mark the area of the first reference to change. */
  mask: string | null;
  parent: { run: string; image: number } | null;
}

/** One server-sent event of `POST /studio/api/runs`, in the order they come. */
export type RunEvent =
  | { type: "started"; run: string; count: number }
  /** A streamed preview of tile `tile` (the run's request index). `received_at`: when the server got it (ms since the epoch). */
  | { type: "partial"; tile: number; index: number; mime: string; b64: string; received_at: number }
  | { type: "image"; tile: number; image: PageImage }
  | { type: "finished"; run: PageRun }
  /** The run failed; `run` holds what it saved before (also in the library), when it got that far. */
  | { type: "failed"; error: PageError; run: PageRun | null };

export interface RunPage {
  runs: PageRun[];
  /** Cursor for the next (older) page, or null at the end. */
  next: string | null;
  total: number;
}

export interface AccountInfo {
  /** Which login the server uses (never a token or a file path); null when there is none. */
  login: { source: string; email: string | null; plan: string | null } | null;
  login_error: PageError | null;
  limits: UsageLimits | null;
  limits_error: string | null;
}

/** What anyone may ask, key or not: whether the page must ask for the API key first. */
export interface AccessInfo {
  needs_api_key: boolean;
}

export interface SessionInfo {
  version: string;
  backend: string;
  /** The library folder on the server's machine (where the images are). */
  library: string;
  /** Whether API calls need `Authorization: Bearer <key>` (a server on a non-loopback host). */
  needs_api_key: boolean;
}
