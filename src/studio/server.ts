/** Starts the studio: `serve`'s server with the page, the library and the account routes on it. */
import { IoError } from "../errors.js";
import type { ServeLog } from "../serve/log.js";
import { type RunningServer, startServer } from "../serve/server.js";
import type { StudioConfig } from "./args.js";
import type { StudioLibrary } from "./library/index.js";
import type { PageAssets } from "./page-assets.js";
import { studioRoutes } from "./routes.js";

function portInUse(error: unknown): boolean {
  return error instanceof IoError && (error.cause as NodeJS.ErrnoException | undefined)?.code === "EADDRINUSE";
}

/** The default port may be taken (another studio, another program): then any free port, and the log says so. */
export async function startStudioServer(config: StudioConfig, log: ServeLog, library: StudioLibrary, assets: PageAssets): Promise<RunningServer> {
  const extend = (state: Parameters<typeof studioRoutes>[0]) => studioRoutes(state, library, assets);
  try {
    return await startServer(config.server, log, extend);
  } catch (error) {
    if (config.portChosen || !portInUse(error)) throw error;
    const server = await startServer({ ...config.server, port: 0 }, log, extend);
    log.info(`Port ${config.server.port} is in use; the studio listens on ${new URL(server.origin).port} instead.`);
    return server;
  }
}
