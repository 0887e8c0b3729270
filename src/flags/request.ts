/** Request and auth options from the flags the CLI shares with its subcommands (mcp, serve, batch), spelled as library options. */
import { UsageError } from "../errors.js";
import type { GenerateImagesOptions } from "../library/options.js";
import type { BackendName, ImageDetail } from "../options.js";
import { oneOf } from "../validate/values.js";
import { deadlineMs, httpUrl, refreshMode, retries, timeoutMs, type Values } from "./values.js";

/** The flags `requestOptions` reads. */
export const REQUEST_FLAGS = [
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
  "image-detail",
  "auth",
  "auth-profile",
  "refresh-url",
  "force-refresh",
  "no-refresh",
];

export type RequestOptions = Pick<
  GenerateImagesOptions,
  "backend" | "model" | "baseUrl" | "stream" | "retries" | "timeoutMs" | "deadlineMs" | "imageDetail" | "authFile" | "authProfile" | "refresh" | "refreshUrl"
>;

/** `pathOf` resolves `--auth` the way the subcommand resolves paths. Unset flags stay unset, so the library's defaults apply. */
export function requestOptions(values: Values, pathOf: (value: string) => string): RequestOptions {
  const given = (flag: string): string | undefined => values[flag] as string | undefined;
  const authFile = given("auth");
  const baseUrl = given("base-url");
  const refreshUrl = given("refresh-url");
  const options: RequestOptions = {
    backend: oneOf<BackendName>("--backend", given("backend"), ["responses", "images", "mock"]),
    model: given("model"),
    baseUrl: baseUrl === undefined ? undefined : httpUrl("base-url", baseUrl),
    stream: !values["no-stream"],
    retries: retries(values),
    timeoutMs: timeoutMs(values),
    deadlineMs: deadlineMs(values),
    imageDetail: oneOf<ImageDetail>("--image-detail", given("image-detail"), ["auto", "low", "high", "original"]),
    authFile: authFile === undefined ? undefined : pathOf(authFile),
    authProfile: given("auth-profile"),
    refresh: refreshMode(values),
    refreshUrl: refreshUrl === undefined ? undefined : httpUrl("refresh-url", refreshUrl),
  };
  return withoutUndefined(options);
}

/** Only the options that were given, so spreading them never hides a default. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

/** A server (mcp, serve) takes flags only: stray words are a usage error that says how to pass a prompt instead. */
export function assertNoPositionals(command: string, positionals: string[]): void {
  if (positionals.length > 0) {
    throw new UsageError(`codex-imagen ${command} takes flags only, not "${positionals.join(" ")}"; to generate an image from the words "${command} ...", pass them with --prompt.`);
  }
}
