/** Fully resolved options for one run; the CLI, the library and the MCP server all build one. */

export type BackendName = "responses" | "images" | "mock";
export type ImageDetail = "auto" | "low" | "high" | "original";
export type RefreshMode = "auto" | "never" | "force";

/** Where a reference image came from on the command line decides what values it may take. */
export type ReferenceKind = "any" | "local" | "url";

export interface ReferenceSpec {
  kind: ReferenceKind;
  value: string;
}

export interface AuthOptions {
  /** `--auth FILE`: explicit, never skipped or reordered. Absolute. */
  authFile?: string;
  /** `--auth-profile ID` for OpenClaw stores. */
  profile?: string;
  refreshMode: RefreshMode;
  refreshUrl: string;
  /** Environment the sources are discovered from (never read from process.env below the CLI). */
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
}

export interface GenerateOptions {
  prompt: string;
  backend: BackendName;
  /** Whether the user chose the backend; only an unchosen `responses` may fall back to `images`. */
  backendChosen: boolean;
  model: string;
  baseUrl: string;
  stream: boolean;
  /** Extra attempts after the first for transient failures. */
  retries: number;
  /** Per-attempt generation timeout. */
  timeoutMs: number;
  /** Bound on the whole run (attempts, backoff, lock waits); wins over the rest. */
  deadlineMs?: number;
  /** Directory relative paths were resolved against. */
  cwd: string;
  /** Exact `-o` path (absolute), or a directory when it ends with a separator or has no extension. */
  output?: string;
  /** Absolute output directory (explicit `--out-dir` or the default order). */
  outDir: string;
  references: ReferenceSpec[];
  imageDetail: ImageDetail;
  /** Fields of the `image_generation` tool entry; only those the user set are present. */
  tool: ImageToolOptions;
  /** Local PNG with alpha marking the area to edit (needs a reference image). */
  mask?: string;
  /** Independent generations, run in parallel (1–10). */
  count: number;
  /** At most this many requests at once. */
  concurrency: number;
  /** Also save streamed partial frames. */
  savePartials: boolean;
  auth: AuthOptions;
  /** A batch job's file names instead of automatic ones (the batch sweeps its temp files once, not every job). */
  jobFiles?: JobFiles;
}

/** `<stem><ext>`, `<stem>-2<ext>`, ... in the out dir, replacing earlier files of those names. */
export interface JobFiles {
  stem: string;
  /** Kept as given (from a job's `output`), with a warning when the bytes are another type; else the sniffed type's. */
  ext?: string;
}

export type ImageFormat = "png" | "jpeg" | "webp";

/** The tool entry's fields, named as the wire names them (protocol.md). */
export interface ImageToolOptions {
  /** `WxH` or `auto`. */
  size?: string;
  quality?: "low" | "medium" | "high" | "auto";
  background?: "transparent" | "opaque" | "auto";
  output_format?: ImageFormat;
  output_compression?: number;
  moderation?: "auto" | "low";
  input_fidelity?: "low" | "high";
  partial_images?: number;
  /** The image model, e.g. gpt-image-2. */
  model?: string;
}
