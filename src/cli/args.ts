/** Turns the main command's argv into a command with fully resolved options, or a UsageError naming the problem. */
import { readFile, stat } from "node:fs/promises";
import { isAbsolute, resolve, sep } from "node:path";
import { UsageError } from "../errors.js";
import { DEFAULT_BASE_URL, DEFAULT_IMAGE_DETAIL, DEFAULT_MODEL, DEFAULT_REFRESH_URL } from "../defaults.js";
import { parseFlags } from "../flags/parse.js";
import { CLI_PARSE_CONFIG } from "../flags/table.js";
import { deadlineMs, httpUrl, refreshMode, retries, timeoutMs, type Values } from "../flags/values.js";
import type { AuthOptions, BackendName, GenerateOptions, ImageDetail, ReferenceSpec } from "../options.js";
import { defaultOutputDir } from "../output-dir.js";
import { nonEmpty } from "../unset.js";
import { imageArgs } from "../validate/image-options.js";
import { flagName, oneOf } from "../validate/values.js";
import type { CliContext } from "./context.js";
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
