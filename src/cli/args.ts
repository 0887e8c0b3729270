/** Turns argv into a command with fully resolved options, or a UsageError naming the problem. */
import { readFile, stat } from "node:fs/promises";
import { isAbsolute, resolve, sep } from "node:path";
import { UsageError } from "../errors.js";
import { DEFAULT_BASE_URL, DEFAULT_IMAGE_DETAIL, DEFAULT_MODEL, DEFAULT_REFRESH_URL, DEFAULT_RETRIES, DEFAULT_TIMEOUT_SECONDS, MAX_RETRIES, MAX_TIMEOUT_MS } from "../defaults.js";
import type { AuthOptions, BackendName, GenerateOptions, ImageDetail, ReferenceSpec, RefreshMode } from "../options.js";
import { defaultOutputDir } from "../output-dir.js";
import { nonEmpty } from "../unset.js";
import { imageArgs } from "../validate/image-options.js";
import { flagName, integerInRange, oneOf, positiveNumber } from "../validate/values.js";
import { CLI_PARSE_CONFIG } from "./flags.js";
import { parseFlags } from "./parse-flags.js";
import { subcommandNamed } from "./subcommands.js";

export type Verbosity = "quiet" | "normal" | "verbose" | "debug";

export interface Presentation {
  json: boolean;
  verbosity: Verbosity;
  /** `--usage`: show the rate-limit state after the run. */
  usage: boolean;
}

export interface CliCommand {
  kind: "generate" | "smoke" | "refresh-only";
  options: GenerateOptions;
  presentation: Presentation;
  warnings: string[];
}

export interface CliContext {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  homeDir: string;
  readStdin: () => Promise<string>;
}

export type Values = Record<string, string | boolean | string[] | undefined>;

export function timeoutMs(values: Values): number {
  const given = (["timeout", "timeout-seconds", "timeout-ms"] as const).filter((flag) => values[flag] !== undefined);
  if (given.length > 1) {
    throw new UsageError(`Give only one of --timeout, --timeout-seconds and --timeout-ms (got ${given.map((flag) => `--${flag}`).join(" and ")}).`);
  }
  const flag = given[0];
  if (flag === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  return durationMs(flag, values[flag] as string, flag === "timeout-ms" ? 1 : 1000);
}

/** A positive duration flag in milliseconds, at most what a timer can hold. */
function durationMs(flag: string, text: string, unitMs: number): number {
  const ms = positiveNumber(flagName(flag), text) * unitMs;
  if (ms > MAX_TIMEOUT_MS) {
    throw new UsageError(`--${flag} may be at most ${Math.floor(MAX_TIMEOUT_MS / unitMs)}${unitMs === 1 ? " ms" : " s"} (about 24 days).`);
  }
  return ms;
}

/** `--deadline SECONDS`: one bound on the whole run, if given. */
export function deadlineMs(values: Values): number | undefined {
  const text = values.deadline as string | undefined;
  return text === undefined ? undefined : durationMs("deadline", text, 1000);
}

export function retries(values: Values): number {
  const text = values.retries as string | undefined;
  if (values["no-retry"] && text !== undefined) throw new UsageError("Give either --retries or --no-retry, not both.");
  if (values["no-retry"]) return 0;
  return text === undefined ? DEFAULT_RETRIES : integerInRange("--retries", text, 0, MAX_RETRIES);
}

export function httpUrl(flag: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--${flag} must be an http(s) URL, not "${text}".`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UsageError(`--${flag} must be an http(s) URL, not "${text}".`);
  return text;
}

function isUrl(value: string): boolean {
  return /^(https?:|data:)/i.test(value);
}

/** References in command-line order; comma lists split only local paths. */
function references(tokens: NonNullable<ReturnType<typeof parseFlags>["tokens"]>): ReferenceSpec[] {
  const specs: ReferenceSpec[] = [];
  for (const token of tokens) {
    if (token.kind !== "option" || token.value === undefined) continue;
    const value = token.value;
    if (token.name === "image-url") specs.push({ kind: "url", value });
    else if (token.name === "image" || (token.name === "input-ref" && !isUrl(value))) {
      const kind = token.name === "image" ? "local" : "any";
      for (const part of value.split(",")) if (part.trim() !== "") specs.push({ kind, value: part.trim() });
    } else if (token.name === "input-ref") specs.push({ kind: "any", value });
  }
  return specs;
}

async function workingDir(values: Values, context: CliContext): Promise<string> {
  const given = values.cwd as string | undefined;
  if (given === undefined) return context.cwd;
  const dir = resolve(context.cwd, given);
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`--cwd ${given} is not a directory.`);
  return dir;
}

async function prompt(values: Values, positionals: string[], cwd: string, context: CliContext): Promise<string> {
  const sources = [positionals.length > 0, values.prompt !== undefined, values["prompt-file"] !== undefined].filter(Boolean).length;
  if (sources > 1) throw new UsageError("Give the prompt one way: positional words, --prompt or --prompt-file.");
  let text: string;
  if (values["prompt-file"] !== undefined) {
    const file = values["prompt-file"] as string;
    if (file === "-") text = await context.readStdin();
    else {
      try {
        text = await readFile(resolve(cwd, file), "utf8");
      } catch (error) {
        const reason = (error as { code?: string }).code === "ENOENT" ? "does not exist" : "cannot be read";
        throw new UsageError(`--prompt-file ${file} ${reason}.`);
      }
    }
    text = text.replace(/^\uFEFF/, "");
  } else {
    text = (values.prompt as string | undefined) ?? positionals.join(" ");
  }
  if (text.trim() === "") throw new UsageError('The prompt is empty. Pass it as words, --prompt "...", or --prompt-file FILE.');
  return text.trim();
}

function outputPath(values: Values, cwd: string): string | undefined {
  const given = values.output as string | undefined;
  if (given === undefined) return undefined;
  if (given === "") throw new UsageError("--output needs a path.");
  const absolute = resolve(cwd, given);
  // resolve() drops a trailing separator, which marks a directory.
  return /[\\/]$/.test(given) ? absolute + sep : absolute;
}

function maskPath(values: Values, cwd: string, refs: ReferenceSpec[]): string | undefined {
  const given = values.mask as string | undefined;
  if (given === undefined) return undefined;
  if (refs.length === 0) throw new UsageError("--mask edits a reference image; add one with -i/--image, --input-ref or --image-url.");
  return resolve(cwd, given);
}

function verbosity(values: Values): Verbosity {
  const chosen = (["quiet", "verbose", "debug"] as const).filter((flag) => values[flag]);
  if (chosen.includes("quiet") && chosen.length > 1) throw new UsageError("--quiet cannot be combined with --verbose or --debug.");
  if (chosen.includes("debug")) return "debug";
  return chosen[0] ?? "normal";
}

export function refreshMode(values: Values): RefreshMode {
  if (values["no-refresh"] && values["force-refresh"]) throw new UsageError("--no-refresh and --force-refresh contradict each other.");
  return values["no-refresh"] ? "never" : values["force-refresh"] ? "force" : "auto";
}

/** The command `argv` asks for; `--help` and `--version` never get here (main.ts answers them). */
export async function parseCommandLine(argv: string[], context: CliContext): Promise<CliCommand> {
  const parsed = parseFlags(CLI_PARSE_CONFIG, argv);
  const values = parsed.values as Values;
  const first = parsed.positionals[0];
  const usage = subcommandNamed(first)?.usage;
  if (usage !== undefined) throw new UsageError(`${first} is a subcommand and goes first: codex-imagen ${usage}. To use "${first}" as the prompt, pass --prompt ${first}.`);

  const warnings: string[] = [];
  const cwd = await workingDir(values, context);
  const presentation: Presentation = { json: Boolean(values.json), verbosity: verbosity(values), usage: Boolean(values.usage) };
  const kind = values.smoke ? "smoke" : values["refresh-only"] ? "refresh-only" : "generate";
  if (values.smoke && values["refresh-only"]) throw new UsageError("Give either --smoke or --refresh-only, not both.");
  if (values["refresh-only"] && values["no-refresh"]) throw new UsageError("--refresh-only and --no-refresh contradict each other.");
  if (values.output !== undefined && values["out-dir"] !== undefined) {
    throw new UsageError("Give either -o/--output or --out-dir, not both.");
  }
  const backend = oneOf<BackendName>("--backend", values.backend as string | undefined, ["responses", "images", "mock"]) ?? "responses";
  const stream = !values["no-stream"];
  const image = imageArgs(values, backend, stream, flagName);
  warnings.push(...image.warnings);

  const refs = references(parsed.tokens ?? []);
  const authFile = values.auth as string | undefined;
  const auth: AuthOptions = {
    authFile: authFile === undefined ? undefined : isAbsolute(authFile) ? authFile : resolve(cwd, authFile),
    profile: nonEmpty(values["auth-profile"] as string | undefined),
    refreshMode: refreshMode(values),
    refreshUrl: httpUrl("refresh-url", (values["refresh-url"] as string | undefined) ?? DEFAULT_REFRESH_URL),
    env: context.env,
    homeDir: context.homeDir,
  };
  const options: GenerateOptions = {
    prompt: kind === "generate" ? await prompt(values, parsed.positionals, cwd, context) : "",
    backend,
    backendChosen: values.backend !== undefined,
    model: nonEmpty(values.model as string | undefined) ?? nonEmpty(context.env.CODEX_IMAGEN_MODEL) ?? DEFAULT_MODEL,
    baseUrl: httpUrl("base-url", (values["base-url"] as string | undefined) ?? DEFAULT_BASE_URL),
    stream,
    retries: retries(values),
    timeoutMs: timeoutMs(values),
    deadlineMs: deadlineMs(values),
    cwd,
    output: outputPath(values, cwd),
    outDir: values["out-dir"] !== undefined ? resolve(cwd, values["out-dir"] as string) : defaultOutputDir(context.env, cwd),
    references: refs,
    imageDetail: oneOf<ImageDetail>("--image-detail", values["image-detail"] as string | undefined, ["auto", "low", "high", "original"]) ?? DEFAULT_IMAGE_DETAIL,
    tool: image.tool,
    mask: maskPath(values, cwd, refs),
    count: image.count,
    concurrency: image.concurrency,
    savePartials: image.savePartials,
    auth,
  };
  return { kind, options, presentation, warnings };
}
