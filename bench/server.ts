/**
 * The benchmark's SSE server. The event stream is the fake backend's (`buildFrames` and
 * `encodeFrame` from test/support), serialised once per workload so the server's own work never
 * lands in the client's wall time; it is then written in fixed-size chunks, honouring backpressure.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { buildFrames, encodeFrame, randomId } from "../test/support/sse-scenarios.js";

export interface StreamSpec {
  final: Buffer;
  /** Bytes of each partial frame (a complete lower-quality picture). */
  partial: Buffer;
  partials: number;
  /** Repeat the final image in `response.completed`, as the real backend does. */
  repeatInCompleted: boolean;
}

export interface BenchServer {
  /** Pass as `--base-url`. */
  baseUrl: string;
  /** Serve this stream, in `chunkSize`-byte writes, to every following request. */
  serve(stream: Buffer, chunkSize: number): void;
  close(): Promise<void>;
}

/** The complete SSE body of one answer. */
export function sseBody(spec: StreamSpec): Buffer {
  const frames = buildFrames(
    { kind: "images", images: [{ data: spec.final, partials: spec.partials, size: "3840x2160" }], repeatInCompleted: spec.repeatInCompleted },
    { responseId: randomId("resp"), image: spec.final, partial: spec.partial },
  );
  return Buffer.concat(frames.map((frame) => encodeFrame(frame, {})));
}

/** Resolves when the client has taken the buffered bytes, or has gone. */
function drained(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

export async function startBenchServer(): Promise<BenchServer> {
  let body: Buffer = Buffer.alloc(0);
  let chunkSize = 16 * 1024;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      void (async () => {
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
        for (let offset = 0; offset < body.length && !res.destroyed; offset += chunkSize) {
          if (!res.write(body.subarray(offset, offset + chunkSize))) await drained(res);
        }
        res.end();
      })().catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/backend-api/codex`,
    serve(stream, size) {
      body = stream;
      chunkSize = size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
