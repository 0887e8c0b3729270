/** Library options (camelCase) → the run's GenerateOptions, with the CLI's defaults and the CLI's checks. */
import { homedir } from "node:os";
import { resolve, sep } from "node:path";
import { z } from "zod";
import { imageArgs } from "../validate/image-options.js";
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
const optionsSchema = z.strictObject({
  prompt: text,
  references: z.array(text).optional(),
  mask: text.optional(),
  outputDir: text.optional(),
  output: text.optional(),
  size: text.optional(),
  aspectRatio: text.optional(),
  quality: z.enum(["low", "medium", "high", "auto"]).optional(),
  background: z.enum(["transparent", "opaque", "auto"]).optional(),
  format: z.enum(["png", "jpeg", "jpg", "webp"]).optional(),
  compression: z.number().optional(),
  moderation: z.enum(["auto", "low"]).optional(),
  inputFidelity: z.enum(["low", "high"]).optional(),
  partialImages: z.number().optional(),
  imageModel: text.optional(),
  count: z.number().optional(),
  concurrency: z.number().optional(),
  savePartials: z.boolean().optional(),
  imageDetail: z.enum(["auto", "low", "high", "original"]).optional(),
  backend: z.enum(["responses", "images", "mock"]).optional(),
  model: text.optional(),
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  stream: z.boolean().optional(),
  retries: z.int().min(0).max(MAX_RETRIES).optional(),
  timeoutMs: z.number().positive().max(MAX_TIMEOUT_MS).optional(),
  deadlineMs: z.number().positive().max(MAX_TIMEOUT_MS).optional(),
  authFile: text.optional(),
  authProfile: text.optional(),
  refresh: z.enum(["auto", "never", "force"]).optional(),
  refreshUrl: z.url({ protocol: /^https?$/ }).optional(),
  cwd: text.optional(),
  // process.env is no plain object, so a record schema would refuse it.
  env: z.custom<Readonly<Record<string, string | undefined>>>((value) => typeof value === "object" && value !== null, "expected an object").optional(),
  homeDir: text.optional(),
}) satisfies z.ZodType<GenerateImagesOptions>;

export interface ResolvedOptions {
  options: GenerateOptions;
  /** Warnings the CLI would print before the run (e.g. a size outside the published range). */
  warnings: string[];
}

function checkShape(input: unknown): GenerateImagesOptions {
  const parsed = optionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `option ${issue.path.join(".")}` : "options";
  throw new UsageError(`generateImages(): invalid ${where}: ${issue?.message ?? "unexpected value"}.`);
}

/** The flag values `imageArgs` checks, so the library follows the CLI's rules word for word. */
function imageFlagValues(options: GenerateImagesOptions): Record<string, string | boolean | undefined> {
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
const optionName: NameOf = (flag) => (flag === "no-stream" ? "stream: false" : flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase()));

/** Checks library options and fills in the CLI's defaults; `nameOf` spells option names in messages (another front door's field names). */
export function resolveOptions(input: GenerateImagesOptions, nameOf: NameOf = optionName): ResolvedOptions {
  const given = checkShape(input);
  const prompt = given.prompt.trim();
  if (prompt === "") throw new UsageError("generateImages(): the prompt is empty.");
  if (given.output !== undefined && given.outputDir !== undefined) throw new UsageError("generateImages(): give either output or outputDir, not both.");
  const env = given.env ?? process.env;
  const cwd = resolve(given.cwd ?? process.cwd());
  const backend = given.backend ?? "responses";
  const stream = given.stream ?? true;
  const image = imageArgs(imageFlagValues(given), backend, stream, nameOf);
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
