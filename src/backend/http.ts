/** One POST with a connect timeout, answering with a streamed body; node:http keeps the hot path lean. */
import http from "node:http";
import https from "node:https";
import { BackendError } from "../errors.js";

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

export function post(options: PostOptions): Promise<HttpResponse> {
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
