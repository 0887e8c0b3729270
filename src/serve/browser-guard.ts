/**
 * The browser guard (spec §7): a web page the user visits must not spend their quota or read their images. It runs
 * before every route, before any body is read:
 * - bound to loopback, a `Host` that is not a loopback name or address with this server's port is 421 (DNS rebinding);
 * - an `Origin` other than this server's own or the `--cors` one is 403;
 * - the `--cors` origin gets CORS headers, and its preflight an answer;
 * - a body that is not JSON (or another type a route takes: multipart edits, the studio's image uploads) is 415, so no
 *   cross-site "simple" request (text/plain, a form) reaches a handler where it is not the route's own.
 */
import type { Context, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { isLoopback } from "./args.js";
import type { ServeEnv } from "./hono-env.js";
import { type HostHeader, parseHost } from "./host.js";
import { HttpError } from "./openai-errors.js";

export interface BrowserGuardOptions {
  /** Bound to loopback: only loopback names reach it, so any other Host is a page that rebound its own name. */
  loopback: boolean;
  /** The one foreign page origin allowed (`--cors`). */
  corsOrigin: string | undefined;
  /** The body types a route takes besides `application/json` (multipart for edits, bytes for the studio's uploads). */
  bodyTypes(path: string): readonly string[];
  /** What a refused page should do instead; by default, how `--cors` lets one page in. */
  foreignOriginHint?: string | undefined;
}

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);
const SHOWN_CHARS = 100;

const shown = (text: string): string => JSON.stringify(text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text);

/** The Host header, when it names this server: on loopback, a loopback name with the port the request arrived on. */
function checkHost(c: Context<ServeEnv>, loopback: boolean): HostHeader | undefined {
  const header = c.req.header("host");
  const host = parseHost(header);
  if (!loopback) return host;
  const port = c.env.incoming.socket.localPort ?? 0;
  if (host !== undefined && isLoopback(host.hostname) && host.port === port) return host;
  throw new HttpError(
    421,
    `This server answers only requests addressed to 127.0.0.1:${port} or localhost:${port} (Host was ${header === undefined ? "missing" : shown(header)}): ` +
      "a web page may be trying to reach it under another name (DNS rebinding). Use http://127.0.0.1:" +
      `${port}/v1; a reverse proxy must send Host 127.0.0.1:${port}.`,
    { code: "misdirected_request" },
  );
}

/** Whether `origin` is a page served by this server: on loopback any loopback name with its port, else the name the request was sent to. */
function isOwnOrigin(origin: string, host: HostHeader | undefined, loopback: boolean, port: number): boolean {
  if (!URL.canParse(origin)) return false;
  const url = new URL(origin);
  if (url.protocol !== "http:" || url.origin !== origin.toLowerCase()) return false;
  if (!loopback) return host !== undefined && url.host === host.host;
  return isLoopback(url.hostname) && Number(url.port || 80) === port;
}

function checkOrigin(c: Context<ServeEnv>, host: HostHeader | undefined, options: BrowserGuardOptions): void {
  const origin = c.req.header("origin");
  if (origin === undefined || origin === options.corsOrigin) return;
  if (isOwnOrigin(origin, host, options.loopback, c.env.incoming.socket.localPort ?? 0)) return;
  const allow = URL.canParse(origin) && /^https?:$/.test(new URL(origin).protocol) ? `--cors ${new URL(origin).origin}` : "--cors ORIGIN (the page's http(s) origin)";
  throw new HttpError(
    403,
    `This server refuses requests from web pages at other origins (Origin ${shown(origin)}): a page you visit could otherwise spend your ChatGPT/Codex quota. ` +
      (options.foreignOriginHint ?? `To let one page use it, start codex-imagen serve with ${allow}.`),
    { code: "origin_not_allowed" },
  );
}

function checkBodyType(c: Context<ServeEnv>, bodyTypes: (path: string) => readonly string[]): void {
  if (!BODY_METHODS.has(c.req.method)) return;
  const given = c.req.header("content-type");
  const type = (given ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const others = bodyTypes(c.req.path);
  if (type === "application/json" || others.includes(type)) return;
  const taken = others.length === 0 ? "" : ` (or ${others.join(", ")})`;
  throw new HttpError(
    415,
    `${c.req.method} ${c.req.path} takes a JSON body${others.length === 0 ? "" : ` or a ${others.join(" or ")} body`}: send the header content-type: application/json${taken}; ` +
      `it was ${given === undefined ? "missing" : shown(given)}.`,
    { code: "unsupported_media_type" },
  );
}

export function browserGuard(options: BrowserGuardOptions): MiddlewareHandler<ServeEnv> {
  const allowCors =
    options.corsOrigin === undefined
      ? undefined
      : cors({ origin: options.corsOrigin, allowHeaders: ["authorization", "content-type"], exposeHeaders: ["x-request-id", "retry-after"], maxAge: 600 });
  return async (c, next) => {
    const host = checkHost(c, options.loopback);
    checkOrigin(c, host, options);
    const rest = async (): Promise<void> => {
      checkBodyType(c, options.bodyTypes);
      await next();
    };
    // Inside CORS, so a refused body from the --cors page still carries the header that lets the page read why.
    return allowCors === undefined ? rest() : allowCors(c, rest);
  };
}
