/** Progress events a run reports while it works (CLI stderr lines, library `onEvent`, MCP progress). */
import type { SavedImage } from "./result.js";

export type ProgressEvent =
  | { type: "start"; backend: string; model: string; count: number; timeoutMs: number }
  | { type: "request"; attempt: number; clientRequestId: string; endpoint: string }
  | { type: "response"; status: number; requestId: string | null; elapsedMs: number }
  | { type: "event"; eventType: string }
  /** Bytes received so far by one request's current attempt. */
  | { type: "bytes"; request: number; received: number }
  | { type: "partial"; callId: string; index: number }
  | { type: "image"; image: SavedImage }
  | { type: "retry"; attempt: number; delayMs: number; reason: string }
  | { type: "auth"; message: string }
  | { type: "warning"; message: string };

export type ProgressListener = (event: ProgressEvent) => void;
