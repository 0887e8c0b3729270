/** A tiny HTTP proxy for tests: forwards absolute-URI requests and tunnels CONNECT, recording what passed. */
import http from "node:http";
import net, { type Socket } from "node:net";
import { listenLocal } from "./listen.js";

export interface ProxiedRequest {
  method: string;
  /** The absolute URL (forwarded) or `host:port` (CONNECT). */
  target: string;
}

export interface ForwardProxy {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

export interface ForwardProxyOptions {
  /** Answer every request with 407 Proxy Authentication Required. */
  demandCredentials?: boolean;
}

export async function startForwardProxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const requests: ProxiedRequest[] = [];
  const server = http.createServer((req, res) => {
    const target = req.url ?? "";
    requests.push({ method: req.method ?? "GET", target });
    if (options.demandCredentials) {
      res.writeHead(407, { "proxy-authenticate": 'Basic realm="corp"' }).end();
      return;
    }
    if (!/^https?:\/\//.test(target)) {
      res.writeHead(400).end("absolute URI required");
      return;
    }
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
  server.on("connect", (req: http.IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? "";
    requests.push({ method: "CONNECT", target });
    const [host = "", port = "443"] = target.split(/:(?=\d+$)/);
    const upstream = net.connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  const listening = await listenLocal(server);
  return {
    url: listening.url,
    requests,
    close: listening.close,
  };
}
