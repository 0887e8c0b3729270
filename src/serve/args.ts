/** `codex-imagen serve [flags]`: the CLI's backend, request and auth flags plus the server's own, checked once at start. */
import { isIP } from "node:net";
import { resolve } from "node:path";
import type { Values } from "../flags/values.js";
import { FLAGS, type FlagSpec, parseConfigFor } from "../flags/table.js";
import { flagHelpLines } from "../flags/help.js";
import { parseFlags } from "../flags/parse.js";
import { assertNoPositionals, REQUEST_FLAGS, requestOptions, withoutUndefined } from "../flags/request.js";
import { UsageError } from "../errors.js";
import { type GenerateImagesOptions, resolveOptions } from "../library/options.js";
import type { AuthOptions } from "../options.js";
import { nonEmpty } from "../unset.js";
import { integerInRange } from "../validate/values.js";

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 8319;
const DEFAULT_CONCURRENCY = 4;
const DEFAULT_MAX_QUEUE = 64;
const MAX_CONCURRENCY = 64;
const MAX_QUEUE = 10_000;
export const API_KEY_ENV = "CODEX_IMAGEN_API_KEY";

const server = (name: string, help: string, value?: string): FlagSpec => ({ name, group: "Server", help, ...(value && { value }) });

export const SERVER_FLAGS: readonly FlagSpec[] = [
  server("host", `Address to listen on (default ${DEFAULT_HOST}); anything but loopback needs an API key.`, "HOST"),
  server("port", `Port to listen on (default ${DEFAULT_PORT}; 0 picks a free one).`, "PORT"),
  server("api-key", `Require "Authorization: Bearer KEY" on every request (default: $${API_KEY_ENV}; none on loopback).`, "KEY"),
  server("concurrency", `At most N upstream requests at once, across all clients (default ${DEFAULT_CONCURRENCY}).`, "N"),
  server("max-queue", `Up to N more requests wait for a slot; beyond that, 503 at once (default ${DEFAULT_MAX_QUEUE}).`, "N"),
  server("keep", "Also keep every image in DIR (CLI names); needed for response_format url.", "DIR"),
  server("cors", "Let the web page at ORIGIN (e.g. http://localhost:3000) call the API; pages from other origins are refused (403).", "ORIGIN"),
  server("verbose", "Also log each request's prompt (warnings are always logged)."),
];

const SHARED_FLAGS = [...REQUEST_FLAGS, "image-model", "help"];

/** The CLI's flags every server door (serve, studio) also takes: backend, request, auth, image model, help. */
export const SHARED_SERVER_FLAGS: readonly FlagSpec[] = FLAGS.filter((flag) => SHARED_FLAGS.includes(flag.name));

export const SERVE_FLAGS: readonly FlagSpec[] = [...SERVER_FLAGS, ...SHARED_SERVER_FLAGS];

const parseConfig = parseConfigFor(SERVE_FLAGS, false);

export interface ServeConfig {
  host: string;
  port: number;
  apiKey: string | undefined;
  concurrency: number;
  maxQueue: number;
  /** Absolute directory every image is also kept in, when `--keep` is given. */
  keepDir: string | undefined;
  corsOrigin: string | undefined;
  verbose: boolean;
  /** Library options every request starts from; the request adds its prompt and image fields. */
  base: Omit<GenerateImagesOptions, "prompt">;
  /** The one login every request shares. */
  auth: AuthOptions;
}

export type ServeCommand = { kind: "help" } | { kind: "serve"; config: ServeConfig };

export interface ServeContext {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  homeDir: string;
}

/** Loopback names and addresses: the only hosts that may listen without an API key. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (bare === "localhost") return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  return bare === "::1" || bare === "::ffff:127.0.0.1";
}

function origin(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || !/^https?:$/.test(url.protocol) || url.origin !== text.replace(/\/$/, "")) {
    throw new UsageError(`--cors must be an origin like http://localhost:3000 (scheme, host and port only), not "${text}".`, "--cors");
  }
  return url.origin;
}

export function parseServeArgs(argv: string[], context: ServeContext): ServeCommand {
  const parsed = parseFlags(parseConfig, argv);
  const values = parsed.values as Values;
  if (values.help) return { kind: "help" };
  assertNoPositionals("serve", parsed.positionals);
  return { kind: "serve", config: serverConfig(values, context) };
}

/** The server's configuration from parsed flag values (serve's, or another server door's that takes the same flags). */
export function serverConfig(values: Values, context: ServeContext): ServeConfig {
  const given = (flag: string): string | undefined => values[flag] as string | undefined;
  const host = nonEmpty(given("host")) ?? DEFAULT_HOST;
  const apiKey = nonEmpty(given("api-key")) ?? nonEmpty(context.env[API_KEY_ENV]);
  if (!isLoopback(host) && apiKey === undefined) {
    throw new UsageError(
      `Refusing to listen on ${host} without an API key: anyone who can reach it could spend your ChatGPT/Codex quota. Set one with --api-key KEY or ${API_KEY_ENV}, or listen on ${DEFAULT_HOST}.`,
      "--host",
    );
  }
  const keep = given("keep");
  const base = withoutUndefined({
    ...requestOptions(values, (value) => resolve(context.cwd, value)),
    imageModel: given("image-model"),
    cwd: context.cwd,
    env: context.env,
    homeDir: context.homeDir,
  });
  // Flags that can never work (e.g. an empty --image-model) fail at start, not on every request.
  const { options } = resolveOptions({ ...base, prompt: "check" });
  return {
    host,
    port: given("port") === undefined ? DEFAULT_PORT : integerInRange("--port", given("port") ?? "", 0, 65_535),
    apiKey,
    concurrency: given("concurrency") === undefined ? DEFAULT_CONCURRENCY : integerInRange("--concurrency", given("concurrency") ?? "", 1, MAX_CONCURRENCY),
    maxQueue: given("max-queue") === undefined ? DEFAULT_MAX_QUEUE : integerInRange("--max-queue", given("max-queue") ?? "", 0, MAX_QUEUE),
    keepDir: keep === undefined ? undefined : resolve(context.cwd, keep),
    corsOrigin: origin(given("cors")),
    verbose: Boolean(values.verbose),
    base,
    auth: options.auth,
  };
}

export function serveHelpText(version: string): string {
  return [
    `codex-imagen ${version} serve — the OpenAI Images API (POST /v1/images/generations, /v1/images/edits) on your Codex login`,
    "",
    "Usage: codex-imagen serve [flags]",
    "",
    `Prints its base URL (http://${DEFAULT_HOST}:${DEFAULT_PORT}/v1) on stdout when ready; point any OpenAI SDK at it.`,
    "Logs one line per request on stderr. Relative paths in flags are relative to the current directory.",
    "SIGINT/SIGTERM: stop accepting, let running requests finish (up to 30 s), then exit.",
    "",
    "Flags:",
    ...flagHelpLines(SERVE_FLAGS),
    "",
  ].join("\n");
}
