/** Library options (camelCase) → the run's GenerateOptions, with the CLI's defaults and the CLI's checks. */
import { homedir } from "node:os";
import { resolve, sep } from "node:path";
import * as z from "zod/mini";
import { imageArgs } from "../validate/image-options.js";
import { unknownNameMessage } from "../validate/closest-name.js";
import type { NameOf } from "../validate/values.js";
import { DEFAULT_BASE_URL, DEFAULT_IMAGE_DETAIL, DEFAULT_MODEL, DEFAULT_REFRESH_URL, DEFAULT_RETRIES, DEFAULT_TIMEOUT_SECONDS, MAX_RETRIES, MAX_TIMEOUT_MS } from "../defaults.js";
import { UsageError } from "../errors.js";
import type { BackendName, GenerateOptions, ImageDetail, ImageFormat, ImageToolOptions, RefreshMode } from "../options.js";
import { defaultOutputDir } from "../output-dir.js";
import { nonEmpty } from "../unset.js";

/** Options of `generateImages()`. Only `prompt` is required; the rest default as on the command line. */
export interface GenerateImagesOptions {
  /** What to draw or how to change the references. */
  prompt: string;
  /** Reference images, in order ("Image 1", "Image 2", ...): local paths (relative to `cwd`), http(s) URLs or data: URLs. */
  references?: string[];
  /** PNG with an alpha channel; transparent pixels mark the area of Image 1 to change. Needs `references`. */
  mask?: string;
  /** Directory for automatically named images. Default: `$CODEX_IMAGEN_OUT_DIR`, `$OPENCLAW_OUTPUT_DIR`, the OpenClaw artifacts dir, `<cwd>/codex-imagen-output`. */
  outputDir?: string;
  /** Exact file for one image (several become `name-1.ext`, ...), or a directory when it ends in a separator or has no extension. Not with `outputDir`. */
  output?: string;
  /** `WxH` (sides multiples of 16, e.g. `1536x1024`) or `auto`. */
  size?: string;
  /** `W:H`, mapped to a size with a 1024-pixel short side; not with `size`. */
  aspectRatio?: string;
  quality?: ImageToolOptions["quality"];
  background?: ImageToolOptions["background"];
  format?: ImageFormat | "jpg";
  /** 0–100, for `format` jpeg or webp. */
  compression?: number;
  moderation?: ImageToolOptions["moderation"];
  inputFidelity?: ImageToolOptions["input_fidelity"];
  /** Partial frames to stream (0–3); they arrive as `partial` events. */
  partialImages?: number;
  /** The tool's image model, e.g. `gpt-image-2`. */
  imageModel?: string;
  /** Independent generations run in parallel (1–10, default 1). */
  count?: number;
  /** At most this many requests at once (default min(count, 4)). */
  concurrency?: number;
  /** Also save streamed partial frames (reported with `partial: true`). */
  savePartials?: boolean;
  /** How closely the model looks at references (default `high`). */
  imageDetail?: ImageDetail;
  /** `responses` (default), `images` or `mock` (offline placeholder, no login). */
  backend?: BackendName;
  /** The responses model that calls the image tool (default `$CODEX_IMAGEN_MODEL`, else `gpt-5.5`). */
  model?: string;
  baseUrl?: string;
  /** Stream the response (default true). */
  stream?: boolean;
  /** Retries for transient failures (0–10, default 4). */
  retries?: number;
  /** Per-attempt timeout in milliseconds (default 300000). */
  timeoutMs?: number;
  /** Bound on the whole run in milliseconds: attempts, backoff and lock waits (default none). */
  deadlineMs?: number;
  /** Credential file to use; never skipped. */
  authFile?: string;
  /** OpenClaw profile id, e.g. `openai-codex:default`. */
  authProfile?: string;
  /** `auto` (default) refreshes a token near expiry, `never` does not, `force` always does. */
  refresh?: RefreshMode;
  refreshUrl?: string;
  /** Directory relative paths resolve against (default `process.cwd()`). */
  cwd?: string;
  /** Environment credentials and defaults are read from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Home directory for credential discovery (default `os.homedir()`). */
  homeDir?: string;
}

const text = z.string();
const optional = <T extends z.ZodMiniType>(schema: T) => z.optional(schema);
const httpUrl = z.url({ protocol: /^https?$/ });
const optionsSchema = z.strictObject({
  prompt: text,
  references: optional(z.array(text)),
  mask: optional(text),
  outputDir: optional(text),
  output: optional(text),
  size: optional(text),
  aspectRatio: optional(text),
  quality: optional(z.enum(["low", "medium", "high", "auto"])),
  background: optional(z.enum(["transparent", "opaque", "auto"])),
  format: optional(z.enum(["png", "jpeg", "jpg", "webp"])),
  compression: optional(z.number()),
  moderation: optional(z.enum(["auto", "low"])),
  inputFidelity: optional(z.enum(["low", "high"])),
  partialImages: optional(z.number()),
  imageModel: optional(text),
  count: optional(z.number()),
  concurrency: optional(z.number()),
  savePartials: optional(z.boolean()),
  imageDetail: optional(z.enum(["auto", "low", "high", "original"])),
  backend: optional(z.enum(["responses", "images", "mock"])),
  model: optional(text),
  baseUrl: optional(httpUrl),
  stream: optional(z.boolean()),
  retries: optional(z.int().check(z.minimum(0), z.maximum(MAX_RETRIES))),
  timeoutMs: optional(z.number().check(z.positive(), z.maximum(MAX_TIMEOUT_MS))),
  deadlineMs: optional(z.number().check(z.positive(), z.maximum(MAX_TIMEOUT_MS))),
  authFile: optional(text),
  authProfile: optional(text),
  refresh: optional(z.enum(["auto", "never", "force"])),
  refreshUrl: optional(httpUrl),
  cwd: optional(text),
  // process.env is no plain object, so a record schema would refuse it.
  env: optional(z.custom<Readonly<Record<string, string | undefined>>>((value) => typeof value === "object" && value !== null, { error: "must be an object" })),
  homeDir: optional(text),
}) satisfies z.ZodMiniType<GenerateImagesOptions>;

const OPTION_NAMES = Object.keys(optionsSchema.shape);

export interface ResolvedOptions {
  options: GenerateOptions;
  /** Warnings the CLI would print before the run (e.g. a size outside the published range). */
  warnings: string[];
}

/** What is wrong with one option, in words (zod/mini carries no message texts of its own). */
function describeIssue(issue: z.core.$ZodIssue): string {
  const name = issue.path.length > 0 ? `option ${issue.path.join(".")}` : "the options";
  const { input } = issue;
  const shown = typeof input === "string" ? JSON.stringify(input) : typeof input === "number" || typeof input === "boolean" ? String(input) : typeof input;
  const got = input === undefined ? "" : ` (got ${shown})`;
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => unknownNameMessage("option", key, OPTION_NAMES)).join("; ");
    case "invalid_type":
      if (issue.path.length === 0) return "the options must be an object";
      return input === undefined ? `${name} is required` : `${name} must be ${issue.expected === "int" ? "a whole number" : `a ${issue.expected}`}${got}`;
    case "invalid_value":
      return `${name} must be one of ${issue.values.map(String).join(", ")}${got}`;
    case "too_small":
      return `${name} must be ${issue.inclusive === false ? "greater than" : "at least"} ${String(issue.minimum)}${got}`;
    case "too_big":
      return `${name} must be at most ${String(issue.maximum)}${got}`;
    case "invalid_format":
      return `${name} must be an http(s) URL${got}`;
    case "custom":
      return `${name} ${issue.message}`;
    default:
      return `${name} is not valid${got}`;
  }
}

function checkShape(input: unknown): GenerateImagesOptions {
  const parsed = optionsSchema.safeParse(input, { reportInput: true });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(describeIssue).join("; ");
  throw new UsageError(`generateImages(): ${problems}${problems.endsWith("?") ? "" : "."}`);
}

/** The flag values `imageArgs` checks, so the library follows the CLI's rules word for word. */
export function imageFlagValues(options: GenerateImagesOptions): Record<string, string | boolean | undefined> {
  const asText = (value: number | undefined) => (value === undefined ? undefined : String(value));
  return {
    size: options.size,
    "aspect-ratio": options.aspectRatio,
    quality: options.quality,
    background: options.background,
    format: options.format,
    compression: asText(options.compression),
    moderation: options.moderation,
    "input-fidelity": options.inputFidelity,
    "partial-images": asText(options.partialImages),
    "save-partials": options.savePartials,
    "image-model": options.imageModel,
    count: asText(options.count),
    concurrency: asText(options.concurrency),
  };
}

/** Options as the library spells them (`aspect-ratio` → `aspectRatio`; `--no-stream` is `stream: false`). */
export const optionName: NameOf = (flag) => (flag === "no-stream" ? "stream: false" : flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase()));

/** Checks library options and fills in the CLI's defaults. */
export function resolveOptions(input: GenerateImagesOptions): ResolvedOptions {
  const given = checkShape(input);
  const prompt = given.prompt.trim();
  if (prompt === "") throw new UsageError("generateImages(): the prompt is empty.");
  if (given.output !== undefined && given.outputDir !== undefined) throw new UsageError("generateImages(): give either output or outputDir, not both.");
  const env = given.env ?? process.env;
  const cwd = resolve(given.cwd ?? process.cwd());
  const backend = given.backend ?? "responses";
  const stream = given.stream ?? true;
  const image = imageArgs(imageFlagValues(given), backend, stream, optionName);
  const references = (given.references ?? []).map((value) => ({ kind: "any" as const, value }));
  if (given.mask !== undefined && references.length === 0) throw new UsageError("generateImages(): mask edits a reference image; add one to references.");
  const output = given.output === undefined ? undefined : resolve(cwd, given.output) + (/[\\/]$/.test(given.output) ? sep : "");
  const options: GenerateOptions = {
    prompt,
    backend,
    backendChosen: given.backend !== undefined,
    model: nonEmpty(given.model) ?? nonEmpty(env.CODEX_IMAGEN_MODEL) ?? DEFAULT_MODEL,
    baseUrl: given.baseUrl ?? DEFAULT_BASE_URL,
    stream,
    retries: given.retries ?? DEFAULT_RETRIES,
    timeoutMs: given.timeoutMs ?? DEFAULT_TIMEOUT_SECONDS * 1000,
    deadlineMs: given.deadlineMs,
    cwd,
    output,
    outDir: given.outputDir === undefined ? defaultOutputDir(env, cwd) : resolve(cwd, given.outputDir),
    references,
    imageDetail: given.imageDetail ?? DEFAULT_IMAGE_DETAIL,
    tool: image.tool,
    mask: given.mask === undefined ? undefined : resolve(cwd, given.mask),
    count: image.count,
    concurrency: image.concurrency,
    savePartials: image.savePartials,
    auth: {
      authFile: given.authFile === undefined ? undefined : resolve(cwd, given.authFile),
      profile: nonEmpty(given.authProfile),
      refreshMode: given.refresh ?? "auto",
      refreshUrl: given.refreshUrl ?? DEFAULT_REFRESH_URL,
      env,
      homeDir: given.homeDir ?? homedir(),
    },
  };
  return { options, warnings: image.warnings };
}
