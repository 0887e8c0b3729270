/**
 * A local stand-in for the ChatGPT/Codex backend: `POST /backend-api/codex/responses` answers
 * queued scenarios (see sse-scenarios.ts), `GET /backend-api/wham/usage` the account's limits,
 * and `/oauth/token` is the fake OAuth endpoint.
 */
import { EventEmitter } from "node:events";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createFakeOAuth, type FakeOAuth, type FakeOAuthOptions } from "./fake-oauth.js";
import { buildFrames, buildJsonAnswer, encodeFrame, imageData, randomId, type Frame, type Scenario, type StreamShape } from "./sse-scenarios.js";
import { renderPlaceholder } from "../../src/images/png.js";

export type { ImageSpec, Scenario } from "./sse-scenarios.js";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  body: unknown;
  raw: Buffer;
  /** Date.now() when the request arrived. */
  at: number;
  /** Date.now() when the client closed the connection before the answer was complete (an aborted request). */
  closedEarlyAt?: number;
}

export interface FakeBackend {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Pass as `--base-url`. */
  baseUrl: string;
  /** Pass as `--refresh-url`. */
  refreshUrl: string;
  oauth: FakeOAuth;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** The generation requests only (`POST .../responses`). */
  readonly generations: RecordedRequest[];
  /** Requests to the typed image endpoints (`POST .../images/generations` and `.../images/edits`). */
  readonly imageRequests: RecordedRequest[];
  /** Queue answers for the next generation requests; an empty queue answers one PNG. */
  enqueue(...scenarios: Scenario[]): void;
  /** Queue answers for one route only; they go before the shared `enqueue` queue on that route. */
  enqueueFor(route: Route, ...scenarios: Scenario[]): void;
  /** Requests to the usage endpoint (`GET /backend-api/wham/usage`). */
  readonly usageRequests: RecordedRequest[];
  /** Queue answers for the next usage requests (after the bearer check); an empty queue answers `fullUsage()`. */
  enqueueUsage(...answers: UsageAnswer[]): void;
  /** Resolves once `count` generation requests (`POST .../responses`) have arrived. */
  untilGenerations(count: number): Promise<void>;
  /** Accept these bearer tokens even when they are not unexpired JWTs. */
  acceptToken(...tokens: string[]): void;
  /** Answer 401 `token_expired` to these bearer tokens. */
  rejectToken(...tokens: string[]): void;
  /** The placeholder PNG sent when a scenario gives no image bytes. */
  defaultImage: Buffer;
  /** With `usageLimit`: the arrival of the first refused request and when the limit resets (Date.now() values). */
  readonly limitWindow: { from: number; until: number } | undefined;
  /** The bytes of every streamed partial frame. */
  partialImage: Buffer;
  /** Image requests (`/responses` and the typed endpoints) being answered right now, and the most there ever were at once. */
  readonly activeGenerations: number;
  readonly maxConcurrentGenerations: number;
  /** Emits `"generation"` (a RecordedRequest) when an image request arrives, and `"closed-early"` when its client goes away before the answer is complete. */
  events: EventEmitter;
  close(): Promise<void>;
}

/** The account's usage limit: after `afterRequests` generations, every request gets HTTP 429 until `resetAfterMs` after the first refusal. */
export interface UsageLimit {
  afterRequests: number;
  resetAfterMs: number;
}

/** One answer of the usage endpoint: a JSON value, or a string sent as text/plain (default status 200). */
export interface UsageAnswer {
  status?: number;
  body: unknown;
}

/** A complete usage answer as public clients read it: plan, two windows, credits. */
export function fullUsage(now = Date.now()): Record<string, unknown> {
  return {
    plan_type: "plus",
    rate_limit: {
      allowed: true,
      limit_reached: false,
      primary_window: { used_percent: 42, limit_window_seconds: 18_000, reset_after_seconds: 3600, reset_at: Math.floor(now / 1000) + 3600 },
      secondary_window: { used_percent: 7, limit_window_seconds: 604_800, reset_after_seconds: 432_000, reset_at: Math.floor(now / 1000) + 432_000 },
    },
    credits: { has_credits: true, unlimited: false, balance: "12.50" },
  };
}

export interface FakeBackendOptions {
  /** Size of the default image (default 64x48). */
  width?: number;
  height?: number;
  oauth?: FakeOAuthOptions;
  /** Wait this long before answering every image request, like a backend that takes its time (default 0). */
  latencyMs?: number;
  usageLimit?: UsageLimit;
}

/** `responses`: `POST .../responses`; `images`: both typed image endpoints. */
export type Route = "responses" | "images";

const RESPONSES_PATH = "/backend-api/codex/responses";
const IMAGES_PATHS = new Set(["/backend-api/codex/images/generations", "/backend-api/codex/images/edits"]);
const OAUTH_PATH = "/oauth/token";
const USAGE_PATH = "/backend-api/wham/usage";

/** Unlisted bearers pass when they are JWTs whose `exp` lies ahead, like those the fake OAuth issues. */
function jwtUnexpired(token: string): boolean {
  const payload = token.split(".")[1];
  if (payload === undefined) return false;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: unknown };
    return typeof claims.exp === "number" && claims.exp * 1000 > Date.now();
  } catch {
    return false;
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    return undefined;
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": typeof body === "string" ? "text/plain" : "application/json", ...headers });
  res.end(text);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits as the scenario asks before answering: until its `answerAfter` settles, then `startDelayMs`. */
async function holdAnswer(scenario: Scenario): Promise<void> {
  if ("answerAfter" in scenario && scenario.answerAfter) await scenario.answerAfter.catch(() => undefined);
  if ("startDelayMs" in scenario && scenario.startDelayMs) await sleep(scenario.startDelayMs);
}

/** The frames up to the `output_item.done` of image `n` (n = 0: those before any image completes). */
function throughImage(frames: Frame[], n: number): Frame[] {
  if (n === 0) return frames.filter((frame) => frame.imagesDone === 0);
  const end = frames.findIndex((f) => f.imagesDone === n && f.payload !== "[DONE]" && f.payload.type === "response.output_item.done");
  return end === -1 ? frames : frames.slice(0, end + 1);
}

/** The bytes to write, one piece per event or in fixed-size slices. */
function pieces(frames: Frame[], shape: StreamShape, unknownEvents: boolean): Buffer[] {
  const encoded = frames.map((frame) => encodeFrame(frame, shape, unknownEvents));
  if (shape.chunkSize === undefined) return encoded;
  const all = Buffer.concat(encoded);
  const out: Buffer[] = [];
  for (let i = 0; i < all.length; i += shape.chunkSize) out.push(all.subarray(i, i + shape.chunkSize));
  return out;
}

async function writeAll(res: http.ServerResponse, chunks: Buffer[], delayMs = 0): Promise<void> {
  for (const chunk of chunks) {
    if (res.destroyed) return;
    res.write(chunk);
    if (delayMs > 0) await sleep(delayMs);
  }
}

export async function startFakeBackend(options: FakeBackendOptions = {}): Promise<FakeBackend> {
  const defaultImage = renderPlaceholder("fake backend", options.width ?? 64, options.height ?? 48);
  const partialImage = renderPlaceholder("partial frame", 32, 24);
  const oauth = createFakeOAuth(options.oauth);
  const requests: RecordedRequest[] = [];
  const queue: Scenario[] = [];
  const usageQueue: UsageAnswer[] = [];
  const routeQueues: Record<Route, Scenario[]> = { responses: [], images: [] };
  const next = (route: Route): Scenario => routeQueues[route].shift() ?? queue.shift() ?? { kind: "images" };
  const generations = (): RecordedRequest[] => requests.filter((r) => r.method === "POST" && r.path === RESPONSES_PATH);
  const accepted = new Set<string>();
  const rejected = new Set<string>();
  const sockets = new Set<Socket>();
  const events = new EventEmitter();
  let active = 0;
  let maxActive = 0;

  /** Counts an image request as active until its answer ends, and records a client that leaves before that. */
  function trackGeneration(record: RecordedRequest, res: http.ServerResponse): void {
    active += 1;
    maxActive = Math.max(maxActive, active);
    res.once("close", () => {
      active -= 1;
      if (!res.writableFinished) {
        record.closedEarlyAt = Date.now();
        events.emit("closed-early", record);
      }
    });
    events.emit("generation", record);
  }

  /** Answers 401 unless the bearer is accepted; returns whether it was. */
  function authorised(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
    if (rejected.has(bearer) || !(accepted.has(bearer) || jwtUnexpired(bearer))) {
      sendJson(res, 401, { error: { code: "token_expired", message: "Provided authentication token is expired. Please try signing in again." } });
      return false;
    }
    return true;
  }

  /** The typed image endpoints: one JSON answer `{created, data: [{b64_json}]}`, like the Codex CLI receives. */
  async function answerImages(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!authorised(req, res)) return;
    const scenario = next("images");
    if (scenario.kind === "http-error") return sendJson(res, scenario.status, scenario.body ?? { error: { message: "server error" } }, scenario.headers);
    if (scenario.kind === "drop") return void res.socket?.destroy();
    if (scenario.kind === "stall") return;
    await holdAnswer(scenario);
    const specs = scenario.kind === "images" ? (scenario.images ?? [{}]) : [];
    const data = specs.map((spec) => ({ b64_json: spec.b64 ?? imageData(spec, defaultImage).toString("base64") }));
    const first = specs[0];
    const declared = {
      ...(first?.size !== null && { size: first?.size ?? "1024x1024" }),
      ...(first?.quality !== null && { quality: first?.quality ?? "high" }),
      ...(first?.background !== null && { background: first?.background ?? "opaque" }),
    };
    sendJson(res, 200, { created: Math.floor(Date.now() / 1000), data, ...declared }, "headers" in scenario ? scenario.headers : undefined);
  }

  function answerUsage(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (!authorised(req, res)) return;
    const answer = usageQueue.shift() ?? { body: fullUsage() };
    sendJson(res, answer.status ?? 200, answer.body);
  }

  let answered = 0;
  let limitWindow: { from: number; until: number } | undefined;
  /** Whether a generation arriving at `now` is over the account's limit; the ones within it are counted. */
  function overLimitAt(now: number): boolean {
    const limit = options.usageLimit;
    if (limit === undefined) return false;
    if (limitWindow === undefined && answered >= limit.afterRequests) limitWindow = { from: now, until: now + limit.resetAfterMs };
    if (limitWindow === undefined || now >= limitWindow.until) {
      answered += 1;
      return false;
    }
    return true;
  }

  function refuseOverLimit(res: http.ServerResponse, until: number): void {
    // Rounded up from the moment of answering, so a client that waits exactly this long never comes back early.
    const seconds = Math.ceil((until - Date.now()) / 1000);
    sendJson(
      res,
      429,
      { error: { type: "usage_limit_reached", message: "The usage limit has been reached", plan_type: "plus", resets_in_seconds: seconds } },
      { "x-codex-primary-used-percent": "100", "x-codex-primary-reset-after-seconds": String(seconds) },
    );
  }

  async function answerGeneration(req: http.IncomingMessage, res: http.ServerResponse, body: unknown, limited: boolean): Promise<void> {
    if (!authorised(req, res)) return;
    if (limited && limitWindow) return refuseOverLimit(res, limitWindow.until);
    const scenario = next("responses");
    const ctx = { responseId: randomId("resp"), image: defaultImage, partial: partialImage };
    if (scenario.kind === "http-error") {
      sendJson(res, scenario.status, scenario.body ?? { error: { code: "server_error", message: "The server had an error while processing your request." } }, scenario.headers);
      return;
    }
    const stream = !(typeof body === "object" && body !== null && (body as { stream?: unknown }).stream === false);
    const headers = "headers" in scenario ? (scenario.headers ?? {}) : {};
    if (!stream) {
      if (scenario.kind === "drop") return void res.socket?.destroy();
      if (scenario.kind === "stall") return; // held open until the client gives up
      await holdAnswer(scenario);
      sendJson(res, 200, buildJsonAnswer(scenario, ctx), headers);
      return;
    }
    await holdAnswer(scenario);
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...headers });
    res.flushHeaders();
    const frames = buildFrames(scenario, ctx);
    if (scenario.kind === "stall") {
      // Headers and the first images arrive, then nothing more until the client disconnects.
      await writeAll(res, pieces(throughImage(frames, scenario.afterImages ?? 0), {}, false));
      return;
    }
    if (scenario.kind === "drop") {
      const cut =
        scenario.afterBytes === undefined
          ? pieces(throughImage(frames, scenario.afterImages ?? 0), {}, false)
          : [Buffer.concat(pieces(frames, {}, false)).subarray(0, scenario.afterBytes)];
      await writeAll(res, cut);
      await sleep(20);
      res.socket?.destroy();
      return;
    }
    await writeAll(res, pieces(frames, scenario, scenario.kind === "images" && scenario.unknownEvents === true), scenario.delayMs);
    res.end();
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const at = Date.now();
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      // Decided on arrival: the order requests arrive in is the order the limit counts them in.
      const limited = req.method === "POST" && path === RESPONSES_PATH && overLimitAt(at);
      const raw = await readBody(req);
      const body = parseJson(raw);
      const record: RecordedRequest = { method: req.method ?? "GET", path, headers: req.headers, body, raw, at };
      requests.push(record);
      const generation = req.method === "POST" && (path === RESPONSES_PATH || IMAGES_PATHS.has(path));
      if (generation) trackGeneration(record, res);
      if (generation && options.latencyMs) await sleep(options.latencyMs);
      if (res.destroyed) return;
      if (req.method === "POST" && path === RESPONSES_PATH) await answerGeneration(req, res, body, limited);
      else if (req.method === "POST" && IMAGES_PATHS.has(path)) await answerImages(req, res);
      else if (req.method === "GET" && path === USAGE_PATH) answerUsage(req, res);
      else if (path === OAUTH_PATH) oauth.handle(req, res, raw);
      else sendJson(res, 404, { detail: "Not Found" });
    })().catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(error) } });
      else res.destroy();
    });
  });
  // Idle connections stay open: a client starved of CPU past the default 5 s would reuse a socket the server
  // is closing and see a reset no test asked for (faults are injected on purpose: flaky-tcp.ts, "drop").
  server.keepAliveTimeout = 0;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    baseUrl: `${url}/backend-api/codex`,
    refreshUrl: `${url}${OAUTH_PATH}`,
    oauth,
    requests,
    get imageRequests() {
      return requests.filter((r) => r.method === "POST" && IMAGES_PATHS.has(r.path));
    },
    get generations() {
      return generations();
    },
    get usageRequests() {
      return requests.filter((r) => r.method === "GET" && r.path === USAGE_PATH);
    },
    enqueueUsage: (...answers) => void usageQueue.push(...answers),
    enqueue: (...scenarios) => void queue.push(...scenarios),
    enqueueFor: (route, ...scenarios) => void routeQueues[route].push(...scenarios),
    untilGenerations: (count) =>
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (generations().length < count) return;
          events.off("generation", check);
          resolve();
        };
        events.on("generation", check);
        check();
      }),
    acceptToken: (...tokens) => tokens.forEach((t) => accepted.add(t)),
    rejectToken: (...tokens) => tokens.forEach((t) => rejected.add(t)),
    defaultImage,
    get limitWindow() {
      return limitWindow;
    },
    partialImage,
    get activeGenerations() {
      return active;
    },
    get maxConcurrentGenerations() {
      return maxActive;
    },
    events,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
