/** The one table of command-line flags: it drives parsing and `--help` (so it stays light: `--help` loads it). */
import type { ParseArgsConfig } from "node:util";

export interface FlagSpec {
  name: string;
  short?: string;
  /** Placeholder for the value; absent for on/off flags. */
  value?: string;
  multiple?: boolean;
  group: "Batch" | "Prompt" | "Output" | "Image" | "Request" | "Reference images" | "Auth" | "Logging" | "Server" | "General";
  help: string;
}

export const FLAGS: readonly FlagSpec[] = [
  { name: "prompt", value: "TEXT", group: "Prompt", help: "Prompt text (instead of positional words)." },
  { name: "prompt-file", value: "FILE", group: "Prompt", help: "Read the prompt from a UTF-8 file; - reads stdin." },

  { name: "output", short: "o", value: "PATH", group: "Output", help: "Write one image to exactly PATH; several become PATH-1.ext, PATH-2.ext. A PATH ending in / or without extension is a directory." },
  { name: "out-dir", value: "DIR", group: "Output", help: "Directory for automatically named images." },
  { name: "json", group: "Output", help: "Print one JSON document with paths and metadata on stdout." },
  { name: "cwd", value: "DIR", group: "Output", help: "Resolve relative paths (prompt file, references, outputs) against DIR." },

  { name: "size", value: "WxH", group: "Image", help: "Image size, e.g. 1024x1024, 1536x1024, 3840x2160 or auto; sides are multiples of 16." },
  { name: "aspect-ratio", value: "W:H", group: "Image", help: "Pick the size from a ratio, e.g. 16:9 (short side 1024); not with --size." },
  { name: "quality", value: "Q", group: "Image", help: "low, medium, high or auto." },
  { name: "background", value: "B", group: "Image", help: "transparent, opaque or auto." },
  { name: "format", value: "F", group: "Image", help: "png, jpeg or webp (the saved file's extension follows the real type)." },
  { name: "compression", value: "0-100", group: "Image", help: "Compression level for jpeg or webp." },
  { name: "moderation", value: "M", group: "Image", help: "auto or low." },
  { name: "input-fidelity", value: "F", group: "Image", help: "low or high: how closely edits keep the reference images." },
  { name: "partial-images", value: "0-3", group: "Image", help: "Partial frames to stream while generating." },
  { name: "save-partials", group: "Image", help: "Also save streamed partial frames (asks for 2 unless --partial-images is given)." },
  { name: "image-model", value: "NAME", group: "Image", help: "Image model for the tool, e.g. gpt-image-2." },
  { name: "count", value: "N", group: "Image", help: "Independent generations to run in parallel (1-10, default 1)." },
  { name: "concurrency", value: "N", group: "Image", help: "At most N requests at once (default min(count, 4))." },

  { name: "backend", value: "NAME", group: "Request", help: "responses (default: the hosted image tool), images (the typed image endpoints, no model in the loop) or mock (offline placeholders, no login)." },
  { name: "model", value: "NAME", group: "Request", help: "Responses model that calls the image tool (default gpt-5.5, env CODEX_IMAGEN_MODEL)." },
  { name: "base-url", value: "URL", group: "Request", help: "Backend base URL (default https://chatgpt.com/backend-api/codex)." },
  { name: "no-stream", group: "Request", help: "Ask for one JSON response instead of a stream." },
  { name: "retries", value: "N", group: "Request", help: "Retries for transient failures (default 4, i.e. 5 attempts)." },
  { name: "no-retry", group: "Request", help: "Same as --retries 0." },
  { name: "timeout", value: "SECONDS", group: "Request", help: "Per-attempt generation timeout in seconds (default 300)." },
  { name: "timeout-seconds", value: "SECONDS", group: "Request", help: "Same as --timeout." },
  { name: "deadline", value: "SECONDS", group: "Request", help: "Bound on the whole run: attempts, backoff and lock waits (default none)." },
  { name: "timeout-ms", value: "MS", group: "Request", help: "Per-attempt timeout in milliseconds (not seconds!)." },

  { name: "input-ref", value: "X", multiple: true, group: "Reference images", help: "Reference image: local path, http(s) URL or data: URL. Repeatable; commas separate local paths." },
  { name: "image", short: "i", value: "PATH", multiple: true, group: "Reference images", help: "Local reference image (PNG, JPEG, GIF, WebP). Repeatable; comma lists allowed." },
  { name: "image-url", value: "URL", multiple: true, group: "Reference images", help: "Reference image by http(s) or data: URL. Repeatable." },
  { name: "mask", value: "PATH", group: "Reference images", help: "PNG with alpha marking the area of Image 1 to edit; needs a reference image." },
  { name: "image-detail", value: "LEVEL", group: "Reference images", help: "auto, low, high (default) or original." },

  { name: "auth", value: "FILE", group: "Auth", help: "Credential file to use (Codex auth.json or OpenClaw auth store); never skipped." },
  { name: "auth-profile", value: "ID", group: "Auth", help: "OpenClaw profile id, e.g. openai-codex:default." },
  { name: "refresh-url", value: "URL", group: "Auth", help: "OAuth token endpoint (default https://auth.openai.com/oauth/token)." },
  { name: "smoke", group: "Auth", help: "Check the credential and print a summary; no generation." },
  { name: "refresh-only", group: "Auth", help: "Refresh the token if it is near expiry, then stop." },
  { name: "force-refresh", group: "Auth", help: "Refresh the token even if it is still fresh." },
  { name: "no-refresh", group: "Auth", help: "Never refresh; use the stored access token as is." },

  { name: "usage", group: "Logging", help: "Print the account's rate-limit state (from the backend's headers) on stderr after the run; with --smoke, read the account's limits (plan, windows, resets) without generating." },
  { name: "quiet", group: "Logging", help: "Nothing on stderr except a final error." },
  { name: "verbose", group: "Logging", help: "Event-level progress on stderr." },
  { name: "debug", group: "Logging", help: "Also request ids, timings and retry reasons." },

  { name: "help", short: "h", group: "General", help: "Show this help." },
  { name: "version", group: "General", help: "Print the version." },
];

/** The `node:util` parseArgs configuration for a set of flags. */
export function parseConfigFor(flags: readonly FlagSpec[], tokens: boolean): ParseArgsConfig {
  const options = Object.fromEntries(
    flags.map((flag) => [
      flag.name,
      { type: flag.value ? "string" : "boolean", ...(flag.short && { short: flag.short }), ...(flag.multiple && { multiple: true }) },
    ]),
  ) as ParseArgsConfig["options"];
  return { options, allowPositionals: true, strict: true, tokens };
}

/** The main command's flags, with tokens (they keep the order of reference images). */
export const CLI_PARSE_CONFIG = parseConfigFor(FLAGS, true);
