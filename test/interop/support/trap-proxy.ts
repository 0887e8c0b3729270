/**
 * A local HTTP proxy that refuses everything and records what was asked. The real clients get it as
 * HTTP(S)_PROXY / ALL_PROXY, so any attempt to reach the internet lands here instead, and tests can
 * assert there was none.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface TrapProxy {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `CONNECT host:port` or `METHOD url`, in arrival order. */
  attempts: string[];
  close(): Promise<void>;
}

export async function startTrapProxy(): Promise<TrapProxy> {
  const attempts: string[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    attempts.push(`${req.method ?? "GET"} ${req.url ?? ""}`);
    res.writeHead(403, { "content-type": "text/plain" });
    res.end("blocked by the interop tests' trap proxy");
  });
  server.on("connect", (req: http.IncomingMessage, socket: Socket) => {
    attempts.push(`CONNECT ${req.url ?? ""}`);
    socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    attempts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
