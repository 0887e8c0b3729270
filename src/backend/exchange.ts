/** One POST to the backend and its answer: progress events, rate-limit headers, request id, error mapping. */
import { randomUUID } from "node:crypto";
import { CodexImagenError } from "../errors.js";
import type { AttemptContext, AttemptRecord } from "./backend.js";
import { classifyHttpError, classifyTransportError, type ModelRef } from "./errors.js";
import { post, type HttpResponse } from "../net/http.js";
import { readRateLimits } from "./rate-limits.js";
import { requestHeaders } from "./request.js";

export interface Exchange {
  url: string;
  /** Builds the JSON body; gets the run's session id. */
  body: (sessionId: string) => string;
  stream: boolean;
  /** The model named in error messages when the backend rejects it. */
  model: ModelRef;
  /** Reads a 2xx answer: saves its images into `record`. */
  read: (response: HttpResponse) => Promise<void>;
}

export async function exchange(context: AttemptContext, record: AttemptRecord, request: Exchange): Promise<void> {
  if (!context.credential) throw new Error(`${request.url} needs a credential`);
  const clientRequestId = randomUUID();
  context.onProgress({ type: "request", attempt: context.attempt, clientRequestId, endpoint: request.url });
  const started = Date.now();
  try {
    const response = await post({
      url: request.url,
      headers: requestHeaders(context.credential, context.sessionId, clientRequestId, request.stream),
      body: request.body(context.sessionId),
      signal: context.signal,
    });
    record.rateLimits = readRateLimits(response.headers) ?? record.rateLimits;
    const headerRequestId = response.headers["x-request-id"] ?? response.headers["x-oai-request-id"];
    if (typeof headerRequestId === "string") record.requestId ??= headerRequestId;
    context.onProgress({ type: "response", status: response.status, requestId: record.requestId, elapsedMs: Date.now() - started });
    if (response.status < 200 || response.status >= 300) {
      throw classifyHttpError(response.status, await response.text(), response.headers, request.model);
    }
    await request.read(response);
  } catch (error) {
    if (context.signal.aborted) throw context.signal.reason;
    if (error instanceof CodexImagenError) throw error;
    if (record.finalImages > 0) {
      context.onProgress({ type: "warning", message: `The connection dropped after ${record.finalImages} image(s) were saved; keeping them.` });
      return;
    }
    throw classifyTransportError(error, request.url);
  }
}
