/** `codex-imagen mcp [flags]`: the CLI's global flags plus `--root`, resolved once for every tool call. */
import { isAbsolute, join, resolve } from "node:path";
import type { Values } from "../flags/values.js";
import { assertNoPositionals, REQUEST_FLAGS, requestOptions, withoutUndefined } from "../flags/request.js";
import { FLAGS, type FlagSpec, parseConfigFor } from "../flags/table.js";
import { flagHelpLines } from "../flags/help.js";
import { parseFlags } from "../flags/parse.js";
import { type GenerateImagesOptions, resolveOptions } from "../library/options.js";
import { defaultOutputDir } from "../output-dir.js";

/** The CLI flags that make sense for a server: everything but prompt, output, logging and one-shot auth commands. */
const SHARED_FLAGS = ["out-dir", ...REQUEST_FLAGS, "image-model", "help"];

const ROOT_FLAG: FlagSpec = {
  name: "root",
  value: "DIR",
  multiple: true,
  group: "Output",
  help: "Allow output_dir, references and mask under DIR (repeatable; default: the output dir and the home directory).",
};

export const MCP_FLAGS: readonly FlagSpec[] = [...FLAGS.filter((flag) => SHARED_FLAGS.includes(flag.name)), ROOT_FLAG];

const parseConfig = parseConfigFor(MCP_FLAGS, false);

export interface McpConfig {
  /** Options every tool call starts from (prompt and per-call choices are added by the tool). */
  base: Omit<GenerateImagesOptions, "prompt">;
  /** Absolute; where images go when a call gives no output_dir. */
  outputDir: string;
  /** Absolute directories tool-call paths must lie under. */
  roots: string[];
  homeDir: string;
}

export type McpCommand = { kind: "help" } | { kind: "serve"; config: McpConfig };

export interface McpContext {
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
}

/** Server flags never depend on the directory a client happens to start us in: `~/x` and relative paths mean the home directory. */
export function homePath(value: string, homeDir: string): string {
  if (value === "~") return homeDir;
  if (/^~[\\/]/.test(value)) return join(homeDir, value.slice(2));
  return isAbsolute(value) ? resolve(value) : resolve(homeDir, value);
}

export function parseMcpArgs(argv: string[], context: McpContext): McpCommand {
  const parsed = parseFlags(parseConfig, argv);
  const values = parsed.values as Values;
  if (values.help) return { kind: "help" };
  assertNoPositionals("mcp", parsed.positionals);
  const { env, homeDir } = context;
  const given = (flag: string): string | undefined => values[flag] as string | undefined;
  const outDir = given("out-dir");
  // Like the CLI's default order, but a relative result means the home directory, never the server's cwd.
  const outputDir = outDir === undefined ? defaultOutputDir(env, homeDir) : homePath(outDir, homeDir);
  const roots = ((values.root as string[] | undefined) ?? []).map((root) => homePath(root, homeDir));
  const base: McpConfig["base"] = {
    ...requestOptions(values, (value) => homePath(value, homeDir)),
    imageModel: given("image-model"),
    cwd: outputDir,
    env,
    homeDir,
  };
  // Flags that can never work (e.g. an empty --image-model) fail at start, not on every call.
  resolveOptions({ ...withoutUndefined(base), prompt: "check" });
  return { kind: "serve", config: { base: withoutUndefined(base), outputDir, roots: roots.length > 0 ? roots : [outputDir, homeDir], homeDir } };
}

export function mcpHelpText(version: string): string {
  return [
    `codex-imagen ${version} mcp — a stdio Model Context Protocol server with the tools generate_image and edit_image`,
    "",
    "Usage: codex-imagen mcp [flags]     (an MCP client starts it; it talks JSON-RPC on stdin/stdout)",
    "",
    "Relative paths in flags mean the home directory, never the current directory.",
    "",
    "Flags:",
    ...flagHelpLines(MCP_FLAGS),
    "",
  ].join("\n");
}
