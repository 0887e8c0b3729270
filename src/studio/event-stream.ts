/** The run's server-sent events to the page: pushed as they happen, sent when the page reads, with a comment now and then so idle proxies keep the connection. */
import { FLUSH, type Piece, pullStream } from "../serve/byte-stream.js";
import { Channel } from "../serve/channel.js";
import type { RunEvent } from "./protocol.js";

const KEEP_ALIVE_MS = 15_000;

export class RunEventStream {
  readonly #texts = new Channel<string>();
  readonly #ping = setInterval(() => this.#texts.push(": ping\n\n"), KEEP_ALIVE_MS);

  push(event: RunEvent): void {
    this.#texts.push(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  }

  /** Events already pushed are still sent. */
  close(): void {
    clearInterval(this.#ping);
    this.#texts.close();
  }

  response(): Response {
    const texts = this.#texts;
    async function* body(): AsyncGenerator<Piece> {
      for await (const text of texts) {
        yield text;
        yield FLUSH;
      }
    }
    return new Response(pullStream(body()), { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
  }
}
