/** A web server that misbehaves on purpose, for remote reference images: endless bodies, stalls, lies about types. */
import http from "node:http";
import { listenLocal } from "./listen.js";

export interface HostileServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Paths requested, in order. */
  hits: string[];
  close(): Promise<void>;
}

export interface HostileRoutes {
  /** Served as-is with `image/png` (whatever it holds). */
  png: Buffer;
}

const CHUNK = Buffer.alloc(256 * 1024, 0x41);

/**
 * Routes: `/ref.png` the given bytes; `/redirect` → `/ref.png`; `/endless` a PNG header then bytes forever;
 * `/stall` headers then silence; `/page.png` HTML served as image/png; `/logo.svg` an SVG; `/missing.png` 404;
 * `/huge.png` a Content-Length over 50 MB.
 */
export async function startHostileServer(routes: HostileRoutes): Promise<HostileServer> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    hits.push(path);
    switch (path) {
      case "/ref.png":
        res.writeHead(200, { "content-type": "image/png", "content-length": routes.png.length }).end(routes.png);
        return;
      case "/redirect":
        res.writeHead(302, { location: "/ref.png" }).end();
        return;
      case "/endless": {
        res.writeHead(200, { "content-type": "image/png" });
        res.write(routes.png.subarray(0, 33));
        const pump = (): void => {
          while (!res.destroyed && res.write(CHUNK));
          if (!res.destroyed) res.once("drain", pump);
        };
        pump();
        return;
      }
      case "/stall":
        res.writeHead(200, { "content-type": "image/png" });
        res.flushHeaders();
        res.write(routes.png.subarray(0, 16));
        return; // never finished: the client must give up on its own
      case "/page.png":
        res.writeHead(200, { "content-type": "image/png" }).end("<!DOCTYPE html><html><body>Sign in to continue</body></html>");
        return;
      case "/logo.svg":
        res.writeHead(200, { "content-type": "image/svg+xml" }).end('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>');
        return;
      case "/huge.png":
        res.writeHead(200, { "content-type": "image/png", "content-length": String(60 * 1024 * 1024) });
        res.write(routes.png.subarray(0, 33));
        return; // the client must refuse it from the header alone
      default:
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  const listening = await listenLocal(server);
  return {
    url: listening.url,
    hits,
    close: listening.close,
  };
}
