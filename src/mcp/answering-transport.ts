/** The stdio transport, knowing which of the client's requests are still unanswered: a server whose stdin ended answers them before it closes. */
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { isJSONRPCErrorResponse, isJSONRPCNotification, isJSONRPCRequest, isJSONRPCResultResponse, type JSONRPCMessage, type RequestId } from "@modelcontextprotocol/sdk/types.js";

export class AnsweringTransport implements Transport {
  onclose?: Transport["onclose"];
  onerror?: Transport["onerror"];
  onmessage?: Transport["onmessage"];
  readonly #stdio: StdioServerTransport;
  readonly #unanswered = new Set<RequestId>();
  readonly #waiters: Array<() => void> = [];

  constructor(stdio = new StdioServerTransport()) {
    this.#stdio = stdio;
    stdio.onclose = () => this.onclose?.();
    stdio.onerror = (error) => this.onerror?.(error);
    stdio.onmessage = (message: JSONRPCMessage) => {
      if (isJSONRPCRequest(message)) this.#unanswered.add(message.id);
      // A request the client cancelled gets no answer.
      else if (isJSONRPCNotification(message) && message.method === "notifications/cancelled") this.#answered(message.params?.requestId as RequestId);
      this.onmessage?.(message);
    };
  }

  start(): Promise<void> {
    return this.#stdio.start();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    try {
      await this.#stdio.send(message);
    } finally {
      // An answer that could not be written (the client's end of the pipe is gone) will never be: stop waiting for it.
      if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) this.#answered(message.id);
    }
  }

  close(): Promise<void> {
    return this.#stdio.close();
  }

  /** Resolves once every request received so far has its answer written (or was cancelled). */
  allAnswered(): Promise<void> {
    if (this.#unanswered.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #answered(id: RequestId | undefined): void {
    if (id !== undefined) this.#unanswered.delete(id);
    if (this.#unanswered.size > 0) return;
    for (const resolve of this.#waiters.splice(0)) resolve();
  }
}
