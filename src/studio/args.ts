/** `codex-imagen studio [flags]`: serve's server flags and the CLI's shared flags, plus where the library lives and whether to open a browser. */
import { isAbsolute, join, resolve } from "node:path";
import { flagHelpLines } from "../flags/help.js";
import { parseFlags } from "../flags/parse.js";
import { assertNoPositionals } from "../flags/request.js";
import { type FlagSpec, parseConfigFor } from "../flags/table.js";
import type { Values } from "../flags/values.js";
import { DEFAULT_HOST, DEFAULT_PORT, SERVER_FLAGS, SHARED_SERVER_FLAGS, type ServeConfig, type ServeContext, serverConfig } from "../serve/args.js";
import { nonEmpty } from "../unset.js";

export const LIBRARY_ENV = "CODEX_IMAGEN_STUDIO_DIR";

const studio = (name: string, help: string, value?: string): FlagSpec => ({ name, group: "Server", help, ...(value && { value }) });
const serverFlag = (name: string): FlagSpec => SERVER_FLAGS.find((flag) => flag.name === name) as FlagSpec;

export const STUDIO_FLAGS: readonly FlagSpec[] = [
  serverFlag("host"),
  studio("port", `Port to listen on (default ${DEFAULT_PORT}, or a free one when that is taken; 0 picks a free one).`, "PORT"),
  studio("library", `Where every image, reference and run is kept (default: $${LIBRARY_ENV}, else ~/codex-imagen-output/studio).`, "DIR"),
  studio("no-open", "Print the page's URL without opening a browser."),
  serverFlag("api-key"),
  serverFlag("concurrency"),
  serverFlag("max-queue"),
  serverFlag("verbose"),
  ...SHARED_SERVER_FLAGS,
];

const parseConfig = parseConfigFor(STUDIO_FLAGS, false);

export interface StudioConfig {
  server: ServeConfig;
  /** Absolute. */
  libraryDir: string;
  open: boolean;
  /** `--port` was given: a port in use is then an error, not a reason to pick another. */
  portChosen: boolean;
}

export type StudioCommand = { kind: "help" } | { kind: "studio"; config: StudioConfig };

/** The library is the same wherever the studio starts: the default and a relative `$CODEX_IMAGEN_STUDIO_DIR` hang off the home directory. */
function libraryDir(given: string | undefined, context: ServeContext): string {
  if (given !== undefined) return resolve(context.cwd, given);
  const fromEnv = nonEmpty(context.env[LIBRARY_ENV]);
  if (fromEnv !== undefined) return isAbsolute(fromEnv) ? fromEnv : resolve(context.homeDir, fromEnv);
  return join(context.homeDir, "codex-imagen-output", "studio");
}

export function parseStudioArgs(argv: string[], context: ServeContext): StudioCommand {
  const parsed = parseFlags(parseConfig, argv);
  const values = parsed.values as Values;
  if (values.help) return { kind: "help" };
  assertNoPositionals("studio", parsed.positionals);
  return {
    kind: "studio",
    config: {
      server: serverConfig(values, context),
      libraryDir: libraryDir(nonEmpty(values.library as string | undefined), context),
      open: !values["no-open"],
      portChosen: values.port !== undefined,
    },
  };
}

export function studioHelpText(version: string): string {
  return [
    `codex-imagen ${version} studio — a web page for making and editing images on your Codex login`,
    "",
    "Usage: codex-imagen studio [flags]",
    "",
    `Prints the page's URL (http://${DEFAULT_HOST}:${DEFAULT_PORT}/) on stdout and opens it in your browser.`,
    "The same server also answers the OpenAI Images API under /v1 (see serve --help).",
    "Every image you make is kept in the library folder, with a library.jsonl line per run.",
    "SIGINT/SIGTERM: stop accepting, let running requests finish (up to 30 s), then exit.",
    "",
    "Flags:",
    ...flagHelpLines(STUDIO_FLAGS),
    "",
  ].join("\n");
}
