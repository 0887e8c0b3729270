/** The studio's part of the server: the page and its assets (public, so a key-protected server can still show its key prompt), and its API. */
import type { Hono } from "hono";
import type { AppExtension } from "../serve/app.js";
import type { ServeEnv } from "../serve/hono-env.js";
import type { ServerState } from "../serve/image-request.js";
import { VERSION } from "../version.js";
import { accountInfo } from "./account-route.js";
import type { StudioLibrary } from "./library/index.js";
import { registerLibraryRoutes } from "./library-routes.js";
import type { PageAssets } from "./page-assets.js";
import { HttpError } from "../serve/openai-errors.js";
import { type AccessInfo, API, PAGE_HEADER, type SessionInfo } from "./protocol.js";
import { startStudioRun } from "./run-route.js";

const ASSETS = "/assets/";
/** What the page uploads (references, masks, composites, thumbnails): bytes the server sniffs, in a type no cross-site form can send. */
const UPLOAD_BODIES = ["application/octet-stream"];
const UPLOADS = new RegExp(`^${API}/(inputs|thumbs|runs/[^/]+/composites)$`);
const ACCESS = `${API}/access`;

export function studioRoutes(server: ServerState, library: StudioLibrary, assets: PageAssets): AppExtension {
  return {
    home: () => assets.page(),
    bodyTypes: (path) => (UPLOADS.test(path) ? UPLOAD_BODIES : []),
    foreignOriginHint: "The studio answers its own page only: open it at its own address.",
    isPublic: (method, path) => (method === "GET" || method === "HEAD") && (path === "/" || path === ACCESS || path.startsWith(ASSETS)),
    register(app: Hono<ServeEnv>) {
      app.use(`${API}/*`, async (c, next) => {
        if (c.req.path !== ACCESS && c.req.header(PAGE_HEADER) === undefined) {
          throw new HttpError(403, `The studio's API answers its own page only (the request lacks the page's ${PAGE_HEADER} header); open the studio at its address.`, { code: "not_the_page" });
        }
        await next();
      });
      app.get(`${ASSETS}:name`, (c) => assets.asset(c.req.param("name"), c.req.header("if-none-match")) ?? c.notFound());
      app.get(ACCESS, (c) => c.json({ needs_api_key: server.config.apiKey !== undefined } satisfies AccessInfo));
      app.get(`${API}/session`, (c) => {
        const session: SessionInfo = { version: VERSION, backend: server.config.base.backend ?? "responses", library: library.dir, needs_api_key: server.config.apiKey !== undefined };
        return c.json(session);
      });
      app.get(`${API}/account`, async (c) => c.json(await accountInfo(server, c.req.raw.signal)));
      app.post(`${API}/runs`, (c) => startStudioRun(c, { server, library }));
      registerLibraryRoutes(app, library, server.tempRoot);
    },
  };
}
