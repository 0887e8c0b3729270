/** `codex-imagen studio`: the page for people, on the same server as `serve`, until SIGINT/SIGTERM (loaded only for this subcommand). */
import { untilStopped } from "../serve/command.js";
import type { ServeContext } from "../serve/args.js";
import { createLog } from "../serve/log.js";
import { VERSION } from "../version.js";
import { parseStudioArgs, studioHelpText } from "./args.js";
import { StudioLibrary } from "./library/index.js";
import { openInBrowser } from "./open-browser.js";
import { loadPageAssets } from "./page-assets.js";
import { startStudioServer } from "./server.js";

export async function runStudioCommand(argv: string[], context: ServeContext, signal: AbortSignal): Promise<number> {
  const command = parseStudioArgs(argv, context);
  if (command.kind === "help") {
    process.stdout.write(studioHelpText(VERSION));
    return 0;
  }
  const { config } = command;
  const log = createLog(config.server.verbose);
  const assets = await loadPageAssets();
  const library = await StudioLibrary.open(config.libraryDir, { onWarning: (message) => log.info(`warning: ${message}`) });
  const server = await startStudioServer(config, log, library, assets);
  const url = `${server.origin}/`;
  process.stdout.write(`${url}\n`);
  const key = config.server.apiKey === undefined ? "" : "; the page asks for the API key once";
  log.info(`codex-imagen ${VERSION} studio at ${url} (backend ${config.server.base.backend ?? "responses"}, library ${library.dir}${key}); the OpenAI Images API is at ${server.url}`);
  if (config.open) void openInBrowser(url, context.env).then((note) => note !== undefined && log.info(note));
  return untilStopped(server, log, signal);
}
