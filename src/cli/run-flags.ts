/** The CLI flags a long-running front door (mcp, serve) shares with the CLI: backend, request and auth, read once for every call. */
import { UsageError } from "../errors.js";
import type { GenerateImagesOptions } from "../library/options.js";
import type { BackendName, ImageDetail } from "../options.js";
import { oneOf } from "../validate/values.js";
import { deadlineMs, httpUrl, refreshMode, retries, timeoutMs, type Values } from "./args.js";
import { FLAGS, type FlagSpec } from "./flags.js";

const RUN_FLAG_NAMES = new Set([
  "backend",
  "model",
  "base-url",
  "no-stream",
  "retries",
  "no-retry",
  "timeout",
  "timeout-seconds",
  "timeout-ms",
  "deadline",
  "image-model",
  "image-detail",
  "auth",
  "auth-profile",
  "refresh-url",
  "force-refresh",
  "no-refresh",
]);

/** The shared flags plus `extra` (CLI flags by name), in the CLI's order. */
export function runFlags(...extra: string[]): FlagSpec[] {
  return FLAGS.filter((flag) => RUN_FLAG_NAMES.has(flag.name) || extra.includes(flag.name));
}

export interface RunFlagContext {
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
}

/** Library options from the shared flags; `path` makes a flag's path absolute (each front door has its own rule). */
export function runFlagOptions(values: Values, context: RunFlagContext, path: (value: string) => string): Omit<GenerateImagesOptions, "prompt"> {
  const given = (flag: string): string | undefined => values[flag] as string | undefined;
  const url = (flag: string): string | undefined => {
    const text = given(flag);
    return text === undefined ? undefined : httpUrl(flag, text);
  };
  const authFile = given("auth");
  return withoutUndefined({
    backend: oneOf<BackendName>("--backend", given("backend"), ["responses", "images", "mock"]),
    model: given("model"),
    baseUrl: url("base-url"),
    stream: !values["no-stream"],
    retries: retries(values),
    timeoutMs: timeoutMs(values),
    deadlineMs: deadlineMs(values),
    imageModel: given("image-model"),
    imageDetail: oneOf<ImageDetail>("--image-detail", given("image-detail"), ["auto", "low", "high", "original"]),
    authFile: authFile === undefined ? undefined : path(authFile),
    authProfile: given("auth-profile"),
    refresh: refreshMode(values),
    refreshUrl: url("refresh-url"),
    env: context.env,
    homeDir: context.homeDir,
  });
}

/** A server takes flags only: stray words are a usage error that says how to pass a prompt instead. */
export function assertNoPositionals(command: string, positionals: string[]): void {
  if (positionals.length > 0) {
    throw new UsageError(`codex-imagen ${command} takes flags only, not "${positionals.join(" ")}"; to generate an image from the words "${command} ...", pass them with --prompt.`);
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
