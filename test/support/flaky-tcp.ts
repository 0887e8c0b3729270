/** A TCP relay in front of a server that breaks chosen connections the way real networks do. */
import net from "node:net";
import { listenLocal } from "./listen.js";

export type ConnectionPlan =
  /** Relay faithfully. */
  | { kind: "pass" }
  /** Send a TCP RST once this many response bytes went through (0: as soon as the request arrives). */
  | { kind: "reset"; afterResponseBytes: number }
  /** Answer bytes that are not HTTP at all, then close. */
  | { kind: "garbage" };

export interface FlakyTcp {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/** Connection number i follows `plans[i]`; later ones pass. */
export async function startFlakyTcp(targetUrl: string, plans: ConnectionPlan[]): Promise<FlakyTcp> {
  const target = new URL(targetUrl);
  let connections = 0;
  const server = net.createServer((client) => {
    const plan = plans[connections] ?? { kind: "pass" };
    connections += 1;
    client.on("error", () => undefined);
    if (plan.kind === "garbage") {
      client.once("data", () => client.end(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0d, 0x0a, 0x0d, 0x0a, 0x42])));
      return;
    }
    if (plan.kind === "reset" && plan.afterResponseBytes === 0) {
      client.once("data", () => client.resetAndDestroy());
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname);
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    client.pipe(upstream);
    let relayed = 0;
    upstream.on("data", (chunk: Buffer) => {
      if (plan.kind !== "reset") {
        client.write(chunk);
        return;
      }
      const room = plan.afterResponseBytes - relayed;
      relayed += chunk.length;
      if (room > chunk.length) {
        client.write(chunk);
        return;
      }
      client.write(chunk.subarray(0, room), () => client.resetAndDestroy());
      upstream.destroy();
    });
    upstream.on("end", () => client.end());
  });
  const listening = await listenLocal(server);
  return {
    url: listening.url,
    get connections() {
      return connections;
    },
    close: listening.close,
  };
}
