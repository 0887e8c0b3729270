/** `codex-imagen serve`: the OpenAI Images API on the user's login until SIGINT/SIGTERM (loaded only for this subcommand). */
import { VERSION } from "../version.js";
import { parseServeArgs, type ServeContext, serveHelpText } from "./args.js";
import { createLog, type ServeLog } from "./log.js";
import { type RunningServer, startServer } from "./server.js";

/** Spec §7: running requests get this long to finish after a signal. */
const SHUTDOWN_GRACE_MS = 30_000;

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** `codex-imagen serve [flags]`: prints the API's base URL, then serves until stopped. */
export async function runServeCommand(argv: string[], context: ServeContext, signal: AbortSignal): Promise<number> {
  const command = parseServeArgs(argv, context);
  if (command.kind === "help") {
    process.stdout.write(serveHelpText(VERSION));
    return 0;
  }
  const { config } = command;
  const log = createLog(config.verbose);
  const server = await startServer(config, log);
  process.stdout.write(`${server.url}\n`);
  const keep = config.keepDir === undefined ? "" : `; keeping images in ${config.keepDir}`;
  const key = config.apiKey === undefined ? "no API key" : "API key required";
  log.info(`codex-imagen ${VERSION} serving the OpenAI Images API at ${server.url} (backend ${config.base.backend ?? "responses"}, ${config.concurrency} upstream requests at once, ${config.maxQueue} more may wait, ${key}${keep})`);
  return untilStopped(server, log, signal);
}

/** Serves until `signal` aborts, then shuts down gracefully and rethrows the signal's reason (the CLI turns it into 130/143). */
export async function untilStopped(server: RunningServer, log: ServeLog, signal: AbortSignal): Promise<number> {
  await aborted(signal);
  log.info(`Shutting down: no new requests; running ones may finish for up to ${SHUTDOWN_GRACE_MS / 1000} s.`);
  await server.close(SHUTDOWN_GRACE_MS);
  signal.throwIfAborted();
  return 0;
}
