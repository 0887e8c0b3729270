/** Declarative answers of the fake Codex backend, turned into the event sequence of protocol.md. */
import { randomBytes } from "node:crypto";
import { renderPlaceholder } from "../../src/images/png.js";

export interface ImageSpec {
  callId?: string;
  /** Image bytes; defaults to the backend's small placeholder PNG. */
  data?: Buffer;
  /** A placeholder PNG of this many pixels instead (whatever was asked, like a backend that picks its own size). */
  width?: number;
  height?: number;
  /** The final item's `status` (default "completed"); the real backend sometimes leaves "generating". */
  status?: string;
  /** Raw `result` override (e.g. invalid base64); wins over `data`. */
  b64?: string;
  /** Declared `output_format`; null leaves the field out. */
  outputFormat?: string | null;
  revisedPrompt?: string;
  /** Number of `partial_image` frames streamed before the final image (each the backend's `partialImage`). */
  partials?: number;
  /** The frames themselves, streamed in order before the final image (instead of `partials`). */
  partialFrames?: Buffer[];
  /** Declared values; null leaves the field out of the typed endpoints' answer (as when the backend says nothing). */
  size?: string | null;
  quality?: string | null;
  background?: string | null;
}

/** How the bytes of a stream are framed and paced. */
export interface StreamShape {
  crlf?: boolean;
  /** Send an `event: <type>` line before each `data:` line. */
  eventLines?: boolean;
  /** End with `data: [DONE]`. */
  done?: boolean;
  /** Write the stream in slices of this many bytes. */
  chunkSize?: number;
  /** Pause between writes. */
  delayMs?: number;
  /** Wait this long before answering at all, like a backend that takes its time to generate. */
  startDelayMs?: number;
  /** Hold the answer until this settles, so a test decides when the backend "finishes generating". */
  answerAfter?: Promise<unknown>;
  /** Extra response headers, e.g. `x-codex-primary-used-percent`. */
  headers?: Record<string, string>;
}

export type Scenario =
  | ({
      kind: "images";
      images?: ImageSpec[];
      /** Repeat every image item in `response.completed` (default true). */
      repeatInCompleted?: boolean;
      /** Only `output_item.done` events and a bare `response.completed`. */
      minimal?: boolean;
      /** Sprinkle events and SSE comments no client knows. */
      unknownEvents?: boolean;
      usage?: Record<string, unknown>;
      /** `tool_usage` next to `usage` in the completed response. */
      toolUsage?: Record<string, unknown>;
    } & StreamShape)
  | { kind: "http-error"; status: number; body?: unknown; headers?: Record<string, string> }
  | ({
      kind: "event-error";
      type: "response.failed" | "error";
      code: string;
      message: string;
      /** Images streamed before the error. */
      images?: ImageSpec[];
    } & StreamShape)
  | { kind: "stall"; afterImages?: number; images?: ImageSpec[]; headers?: Record<string, string> }
  | { kind: "drop"; afterBytes?: number; afterImages?: number; images?: ImageSpec[] }
  | ({ kind: "text"; text: string } & StreamShape);

/** One SSE event; `imagesDone` counts the final images delivered once this event is sent. */
export interface Frame {
  payload: Record<string, unknown> | "[DONE]";
  imagesDone: number;
}

export const DEFAULT_USAGE = { input_tokens: 21, output_tokens: 1372, total_tokens: 1393 };

export function randomId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("hex")}`;
}

/** The bytes of one image: its own, a placeholder of its size, or the backend's default. */
export function imageData(spec: ImageSpec, fallback: Buffer): Buffer {
  if (spec.data !== undefined) return spec.data;
  if (spec.width === undefined && spec.height === undefined) return fallback;
  return renderPlaceholder("fake backend", spec.width ?? 64, spec.height ?? 48);
}

/** The completed `image_generation_call` item for one image. */
export function imageItem(spec: ImageSpec, fallback: Buffer): Record<string, unknown> {
  return {
    id: spec.callId ?? randomId("ig"),
    type: "image_generation_call",
    status: spec.status ?? "completed",
    result: spec.b64 ?? imageData(spec, fallback).toString("base64"),
    revised_prompt: spec.revisedPrompt ?? "A small placeholder picture.",
    ...(spec.outputFormat !== null && { output_format: spec.outputFormat ?? "png" }),
    size: spec.size ?? "1024x1024",
    quality: spec.quality ?? "high",
    background: spec.background ?? "opaque",
  };
}

export function responseObject(id: string, status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    object: "response",
    created_at: Math.floor(Date.now() / 1000),
    status,
    model: "gpt-5.5",
    tools: [{ type: "image_generation", model: "gpt-image-2-codex", output_format: "png" }],
    output: [],
    ...extra,
  };
}

function textItem(text: string): Record<string, unknown> {
  return {
    id: randomId("msg"),
    type: "message",
    role: "assistant",
    status: "completed",
    content: [{ type: "output_text", text, annotations: [] }],
  };
}

/** `usage` (and `tool_usage` when the scenario has one) of a completed response. */
function usageOf(scenario: Scenario): Record<string, unknown> {
  if (scenario.kind !== "images") return { usage: DEFAULT_USAGE };
  return { usage: scenario.usage ?? DEFAULT_USAGE, ...(scenario.toolUsage && { tool_usage: scenario.toolUsage }) };
}

/** The images a scenario streams; a stall or drop gets one more than it delivers, left unfinished. */
function scenarioImages(scenario: Scenario): ImageSpec[] {
  switch (scenario.kind) {
    case "images":
      return scenario.images ?? [{}];
    case "event-error":
      return scenario.images ?? [];
    case "stall":
    case "drop":
      return scenario.images ?? Array.from({ length: (scenario.afterImages ?? 0) + 1 }, () => ({}));
    default:
      return [];
  }
}

export interface FrameContext {
  responseId: string;
  /** Final image bytes used when a spec gives none. */
  image: Buffer;
  /** Partial frame bytes. */
  partial: Buffer;
}

/** The event sequence of one streamed answer (for the kinds that stream). */
export function buildFrames(scenario: Scenario, ctx: FrameContext): Frame[] {
  const frames: Frame[] = [];
  let imagesDone = 0;
  const push = (payload: Record<string, unknown>): void => {
    frames.push({ payload: { sequence_number: frames.length, ...payload }, imagesDone });
  };
  const minimal = scenario.kind === "images" && scenario.minimal === true;
  const unknown = scenario.kind === "images" && scenario.unknownEvents === true;

  if (!minimal) {
    push({ type: "response.created", response: responseObject(ctx.responseId, "in_progress") });
    push({ type: "response.in_progress", response: responseObject(ctx.responseId, "in_progress") });
  }
  if (unknown) push({ type: "codex.future_event", detail: { anything: [1, 2, 3] } });

  const specs = scenarioImages(scenario);
  const items: Record<string, unknown>[] = [];
  specs.forEach((spec, outputIndex) => {
    const item = imageItem(spec, ctx.image);
    const itemId = item.id as string;
    if (!minimal) {
      push({ type: "response.output_item.added", output_index: outputIndex, item: { id: itemId, type: "image_generation_call", status: "in_progress" } });
      push({ type: "response.image_generation_call.in_progress", output_index: outputIndex, item_id: itemId });
      push({ type: "response.image_generation_call.generating", output_index: outputIndex, item_id: itemId });
      const partialFrames = spec.partialFrames ?? Array.from({ length: spec.partials ?? 0 }, () => ctx.partial);
      for (const [k, frame] of partialFrames.entries()) {
        push({
          type: "response.image_generation_call.partial_image",
          output_index: outputIndex,
          item_id: itemId,
          partial_image_index: k,
          partial_image_b64: frame.toString("base64"),
        });
      }
      push({ type: "response.image_generation_call.completed", output_index: outputIndex, item_id: itemId });
    }
    if (unknown) push({ type: "response.image_generation_call.something_new", item_id: itemId });
    imagesDone++;
    push({ type: "response.output_item.done", output_index: outputIndex, item });
    items.push(item);
  });

  if (scenario.kind === "text") {
    const item = textItem(scenario.text);
    push({ type: "response.output_item.added", output_index: 0, item: { ...item, status: "in_progress", content: [] } });
    push({ type: "response.output_text.delta", output_index: 0, item_id: item.id, content_index: 0, delta: scenario.text });
    push({ type: "response.output_text.done", output_index: 0, item_id: item.id, content_index: 0, text: scenario.text });
    push({ type: "response.output_item.done", output_index: 0, item });
    items.push(item);
  }

  if (scenario.kind === "event-error") {
    const error = { code: scenario.code, message: scenario.message };
    if (scenario.type === "error") push({ type: "error", ...error });
    else push({ type: "response.failed", response: responseObject(ctx.responseId, "failed", { error }) });
  } else if (scenario.kind === "images" || scenario.kind === "text") {
    const repeat = scenario.kind === "text" || scenario.repeatInCompleted !== false;
    if (minimal) push({ type: "response.completed" });
    else push({ type: "response.completed", response: responseObject(ctx.responseId, "completed", { output: repeat ? items : [], ...usageOf(scenario) }) });
  }
  if ("done" in scenario && scenario.done === true) frames.push({ payload: "[DONE]", imagesDone });
  return frames;
}

/** Serialises one frame as SSE bytes. */
export function encodeFrame(frame: Frame, shape: StreamShape, unknownEvents = false): Buffer {
  const nl = shape.crlf === true ? "\r\n" : "\n";
  const lines: string[] = [];
  if (unknownEvents) lines.push(": keep-alive comment", "retry: 1000", "id: 7");
  if (shape.eventLines === true && frame.payload !== "[DONE]") lines.push(`event: ${String(frame.payload.type)}`);
  lines.push(`data: ${frame.payload === "[DONE]" ? "[DONE]" : JSON.stringify(frame.payload)}`);
  return Buffer.from(lines.join(nl) + nl + nl, "utf8");
}

/** The single JSON answer for `stream: false` requests. */
export function buildJsonAnswer(scenario: Scenario, ctx: FrameContext): Record<string, unknown> {
  if (scenario.kind === "text") return responseObject(ctx.responseId, "completed", { output: [textItem(scenario.text)], usage: DEFAULT_USAGE });
  if (scenario.kind === "event-error") {
    return responseObject(ctx.responseId, "failed", { error: { code: scenario.code, message: scenario.message } });
  }
  const specs = "images" in scenario && scenario.images !== undefined ? scenario.images : [{}];
  return responseObject(ctx.responseId, "completed", { output: specs.map((spec) => imageItem(spec, ctx.image)), ...usageOf(scenario) });
}
