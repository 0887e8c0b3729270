/** The listening server: one shared login, one set of upstream slots, and a shutdown that lets running requests finish. */
import { mkdtemp, rm } from "node:fs/promises";
import type { Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAdaptorServer } from "@hono/node-server";
import { createSharedAuth } from "../auth/index.js";
import { CodexImagenError, IoError } from "../errors.js";
import { RequestSlots } from "../run/slots.js";
import { Admission } from "./admission.js";
import { type AppExtension, createApp } from "./app.js";
import type { ServeConfig } from "./args.js";
import type { ServerState } from "./image-request.js";
import type { ServeLog } from "./log.js";

const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** After the grace period, aborted requests get this long to answer before their connections are cut. */
const ABORT_GRACE_MS = 5_000;

export interface RunningServer {
  /** `http://host:port` */
  origin: string;
  /** The OpenAI Images API's base URL, `http://host:port/v1` */
  url: string;
  /** Stops accepting, lets running requests finish for up to `graceMs`, then aborts the rest. */
  close(graceMs: number): Promise<void>;
}

/** The host to put in the URL printed for people and programs: a wildcard address is reached through loopback. */
function hostForUrl(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::" || host === "[::]") return "[::1]";
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

function listen(server: Server, config: ServeConfig): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const where = `${config.host}:${config.port}`;
      if (error.code === "EADDRINUSE") reject(new IoError(`Cannot listen on ${where}: the port is in use. Stop what uses it, or pick another with --port (0 = any free port).`, error));
      else if (error.code === "EACCES") reject(new IoError(`Cannot listen on ${where}: permission denied. Ports below 1024 need privileges; pick another with --port.`, error));
      else if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND") reject(new IoError(`Cannot listen on ${where}: no such address on this machine; check --host.`, error));
      else reject(new IoError(`Cannot listen on ${where} (${error.code ?? error.message}).`, error));
    });
    server.listen(config.port, config.host, () => resolve(server.address() as AddressInfo));
  });
}

/** Resolves true once `promise` settles, or false after `ms`. */
function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.finally(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** `extend` adds another door's routes (the studio's page and API) to the same server, state and guards. */
export async function startServer(config: ServeConfig, log: ServeLog, extend?: (state: ServerState) => AppExtension): Promise<RunningServer> {
  const lifetime = new AbortController();
  const tempRoot = await mkdtemp(join(tmpdir(), "codex-imagen-serve-"));
  const inFlight = new Set<Promise<void>>();
  let closing = false;
  const track = (outgoing: ServerResponse): void => {
    const done = new Promise<void>((resolve) => outgoing.once("close", resolve));
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };
  const state: ServerState = {
    config,
    // The warning would name the credential stores it skipped; the log never holds a credential path.
    auth: createSharedAuth(config.auth, lifetime.signal, () => log.info("A login that could not be used was skipped for another one; run `codex-imagen --smoke` to see which.")),
    slots: new RequestSlots(config.concurrency),
    admission: new Admission(config.concurrency, config.maxQueue),
    lifetime: lifetime.signal,
    tempRoot,
    origin: "",
    log,
  };
  const app = createApp(state, { track, shuttingDown: () => closing }, extend?.(state));
  const server = createAdaptorServer({ fetch: app.fetch, overrideGlobalObjects: false }) as Server;
  // Longer than clients keep idle connections (undici 4 s, httpx 5 s): the server never closes one a client is about to reuse.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  let address: AddressInfo;
  try {
    address = await listen(server, config);
  } catch (error) {
    await rm(tempRoot, { recursive: true, force: true });
    throw error;
  }
  state.origin = `http://${hostForUrl(config.host)}:${address.port}`;

  return {
    origin: state.origin,
    url: `${state.origin}/v1`,
    async close(graceMs) {
      closing = true;
      server.close();
      server.closeIdleConnections();
      if (!(await within(Promise.allSettled([...inFlight]), graceMs))) {
        lifetime.abort(new CodexImagenError("backend", "The server is shutting down; the request was stopped."));
        await within(Promise.allSettled([...inFlight]), ABORT_GRACE_MS);
      }
      lifetime.abort();
      server.closeAllConnections();
      await rm(tempRoot, { recursive: true, force: true });
    },
  };
}
