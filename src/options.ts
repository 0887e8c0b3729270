/** Fully resolved options for one run; the CLI, the library and the MCP server all build one. */

export type BackendName = "responses" | "mock";
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
  model: string;
  baseUrl: string;
  stream: boolean;
  /** Extra attempts after the first for transient failures. */
  retries: number;
  /** Per-attempt generation timeout. */
  timeoutMs: number;
  /** Directory relative paths were resolved against. */
  cwd: string;
  /** Exact `-o` path (absolute), or a directory when it ends with a separator or has no extension. */
  output?: string;
  /** Absolute output directory (explicit `--out-dir` or the default order). */
  outDir: string;
  references: ReferenceSpec[];
  imageDetail: ImageDetail;
  /** `WxH` or `auto`; sent to the tool only when the user gave it. */
  size?: string;
  auth: AuthOptions;
}
