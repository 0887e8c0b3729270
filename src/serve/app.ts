/** The HTTP routes (Hono): request id, browser guard (with CORS), shutdown gate, API key, then the routes; every failure in OpenAI's error shape. */
import { randomBytes } from "node:crypto";
import { type Handler, Hono } from "hono";
import { IMAGE_MODELS } from "../image-models.js";
import { apiIndex } from "./api-index.js";
import { checkBearer } from "./api-key.js";
import { isLoopback } from "./args.js";
import { browserGuard } from "./browser-guard.js";
import type { ServeEnv } from "./hono-env.js";
import { requestOrigin } from "./host.js";
import { answerImages, type ServerState } from "./image-request.js";
import { keptFile } from "./kept-files.js";
import { errorResponse, HttpError, shuttingDown, toOpenAiError } from "./openai-errors.js";


export interface AppHooks {
  /** Called once per request with node's response, so the server can wait for it at shutdown. */
  track(outgoing: ServeEnv["Bindings"]["outgoing"]): void;
  shuttingDown(): boolean;
}

/** What another door (the studio) adds to this server, behind the same guards. */
export interface AppExtension {
  /** `GET /`: the door's page instead of the API's pointer. */
  home: Handler<ServeEnv>;
  register(app: Hono<ServeEnv>): void;
  /** Requests anyone may make without the API key: a page's shell and assets, never data. */
  isPublic(method: string, path: string): boolean;
  /** Body types a route of the door takes besides JSON (e.g. image uploads); none where it says none. */
  bodyTypes(path: string): readonly string[];
  /** What a page on another origin is told to do instead (serve's own advice is `--cors`, which the door may not have). */
  foreignOriginHint: string;
}

const EDITS = "/v1/images/edits";
const MULTIPART = ["multipart/form-data"];

export function createApp(state: ServerState, hooks: AppHooks, extension?: AppExtension): Hono<ServeEnv> {
  const { config, log } = state;
  const app = new Hono<ServeEnv>();
  const started = Math.floor(Date.now() / 1000);

  app.use(async (c, next) => {
    const id = `req_${randomBytes(12).toString("hex")}`;
    const began = Date.now();
    c.set("requestId", id);
    c.set("images", 0);
    const { outgoing } = c.env;
    hooks.track(outgoing);
    outgoing.once("close", () => {
      const error = c.get("error");
      const prompt = c.get("prompt");
      log.request({
        method: c.req.method,
        path: c.req.path,
        // 499, as nginx logs it: the client left before an answer was sent.
        status: outgoing.headersSent ? outgoing.statusCode : 499,
        images: c.get("images"),
        ms: Date.now() - began,
        id,
        ...(error !== undefined && { error }),
        clientClosed: !outgoing.writableFinished,
        ...(prompt !== undefined && { prompt }),
      });
    });
    await next();
    c.res.headers.set("x-request-id", id);
    if (hooks.shuttingDown()) c.res.headers.set("connection", "close");
  });
  // Before every route, including those a door adds later: refusals are logged and carry the request id, and read nothing.
  app.use(
    browserGuard({
      loopback: isLoopback(config.host),
      corsOrigin: config.corsOrigin,
      bodyTypes: (path) => (path === EDITS ? MULTIPART : (extension?.bodyTypes(path) ?? [])),
      foreignOriginHint: extension?.foreignOriginHint,
    }),
  );
  app.use(async (_c, next) => {
    if (hooks.shuttingDown()) throw shuttingDown();
    await next();
  });
  const apiKey = config.apiKey;
  if (apiKey !== undefined) {
    app.use(async (c, next) => {
      if (!extension?.isPublic(c.req.method, c.req.path)) checkBearer(c.req.header("authorization"), apiKey);
      await next();
    });
  }

  const pointer: Handler<ServeEnv> = (c) => c.json(apiIndex(requestOrigin(c.req.header("host"), state.origin)));
  app.get("/", extension?.home ?? pointer);
  app.on("GET", ["/v1", "/v1/"], pointer);
  app.get("/health", (c) => c.json({ status: "ok" }));
  app.get("/v1/models", (c) => c.json({ object: "list", data: IMAGE_MODELS.map((id) => ({ id, object: "model", created: started, owned_by: "openai" })) }));
  app.post("/v1/images/generations", (c) => answerImages(c, "generation", state));
  app.post(EDITS, (c) => answerImages(c, "edit", state));
  app.get("/v1/images/files/:name", (c) => keptFile(config.keepDir, c.req.param("name")));
  extension?.register(app);

  app.notFound((c) => errorResponse({ status: 404, message: `Invalid URL (${c.req.method} ${c.req.path}).`, type: "invalid_request_error", param: null, code: null }));
  app.onError((error, c) => {
    const answer = toOpenAiError(error, c.get("paramOf"));
    c.set("error", answer.code ?? answer.type);
    if (answer.status >= 500 && !(error instanceof HttpError)) log.warning(c.get("requestId"), answer.message);
    return errorResponse(answer);
  });
  return app;
}
