/** One POST with a connect timeout, answering with a streamed body; node:http keeps the hot path lean, undici serves proxies. */
import http from "node:http";
import https from "node:https";
import { BackendError } from "../errors.js";
import { proxyClient, type ProxyClient } from "./proxy.js";

export const CONNECT_TIMEOUT_MS = 30_000;

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: AsyncIterable<Buffer>;
  /** Reads the whole body as text (error answers are small). */
  text(): Promise<string>;
}

export interface PostOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
  connectTimeoutMs?: number;
}

export async function post(options: PostOptions): Promise<HttpResponse> {
  const proxy = proxyClient(options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
  return proxy === undefined ? postDirect(options) : postThroughProxy(await proxy, options);
}

function postDirect(options: PostOptions): Promise<HttpResponse> {
  const url = new URL(options.url);
  const transport = url.protocol === "https:" ? https : http;
  const payload = Buffer.from(options.body, "utf8");
  return new Promise((resolve, reject) => {
    const request = transport.request(url, {
      method: "POST",
      headers: { ...options.headers, "content-length": String(payload.length) },
      signal: options.signal,
    });
    const connectTimer = setTimeout(() => {
      request.destroy(
        new BackendError(
          "network",
          `Could not connect to ${url.host} within ${Math.round((options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS) / 1000)} s; check your network or --base-url.`,
          { retryable: true },
        ),
      );
    }, options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
    request.on("socket", (socket) => {
      if (!socket.connecting) clearTimeout(connectTimer);
      else socket.once("connect", () => clearTimeout(connectTimer));
    });
    request.on("error", (error) => {
      clearTimeout(connectTimer);
      reject(error);
    });
    request.on("response", (response) => {
      clearTimeout(connectTimer);
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        body: response,
        text: async () => {
          const chunks: Buffer[] = [];
          for await (const chunk of response) chunks.push(chunk as Buffer);
          return Buffer.concat(chunks).toString("utf8");
        },
      });
    });
    request.end(payload);
  });
}

/** The same POST through undici when a proxy variable is set (NO_PROXY hosts are reached directly). */
async function postThroughProxy(proxy: ProxyClient, options: PostOptions): Promise<HttpResponse> {
  const payload = Buffer.from(options.body, "utf8");
  try {
    const response = await proxy.request(options.url, {
      method: "POST",
      headers: { ...options.headers, "content-length": String(payload.length) },
      body: payload,
      signal: options.signal,
      dispatcher: proxy.dispatcher,
      // The per-attempt --timeout bounds a generation; undici's own 300 s limits must not cut it first.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    return {
      status: response.statusCode,
      headers: response.headers as http.IncomingHttpHeaders,
      body: response.body,
      text: () => response.body.text(),
    };
  } catch (error) {
    if (options.signal.aborted) throw error;
    throw proxyError(error, new URL(options.url).host, options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
  }
}

function proxyError(error: unknown, host: string, connectTimeoutMs: number): BackendError {
  const code = (error as { code?: unknown } | null)?.code;
  const why =
    code === "UND_ERR_CONNECT_TIMEOUT"
      ? `could not connect within ${Math.round(connectTimeoutMs / 1000)} s`
      : typeof code === "string" && !code.startsWith("UND_ERR_")
        ? code
        : error instanceof Error
          ? error.message
          : String(error);
  // A proxy that demands credentials (407) will not change its mind on a retry.
  const retryable = !/\b407\b/.test(why);
  return new BackendError("network", `Network error talking to ${host} through the proxy (${why}). Check HTTPS_PROXY, HTTP_PROXY and NO_PROXY, or your connection.`, {
    retryable,
    cause: error,
  });
}

/** `fetch` that honours the proxy variables: Node 20's built-in fetch cannot use undici v7's agents. */
export async function fetchWithProxy(url: string, init: RequestInit): Promise<Response> {
  const proxy = proxyClient(CONNECT_TIMEOUT_MS);
  if (proxy === undefined) return fetch(url, init);
  const { fetch: proxiedFetch, dispatcher } = await proxy;
  const response = await proxiedFetch(url, { ...(init as Parameters<typeof proxiedFetch>[1]), dispatcher });
  return response as unknown as Response;
}
