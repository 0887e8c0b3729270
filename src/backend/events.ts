/** Backend events and response objects, parsed tolerantly into the few shapes the tool acts on. */
import * as z from "zod/mini";
import { tolerant, tolerantNullish } from "../schema/tolerant.js";
import type { RawImage } from "./raw-image.js";

export interface BackendFailure {
  code?: string;
  type?: string;
  message?: string;
}

export type BackendEvent =
  /** `imageModel`: the model the backend says its image tool runs, whatever was asked. */
  | { kind: "started"; requestId: string; imageModel: string | undefined }
  | { kind: "image"; image: RawImage }
  | { kind: "partial"; image: RawImage; index: number }
  | { kind: "text-delta"; text: string }
  | { kind: "text"; text: string; refusal: boolean }
  | { kind: "completed"; response: ParsedResponse }
  | { kind: "failed"; failure: BackendFailure }
  | { kind: "other" };

/** What a whole response object says: the non-streaming answer and `response.completed` share it. */
export interface ParsedResponse {
  requestId?: string;
  images: RawImage[];
  texts: Array<{ text: string; refusal: boolean }>;
  usage?: Record<string, unknown>;
  failure?: BackendFailure;
}

const optionalString = tolerant(z.string());

const imageItemSchema = z.looseObject({
  type: z.literal("image_generation_call"),
  id: z.catch(z.string(), ""),
  result: tolerantNullish(z.string()),
  revised_prompt: optionalString,
  output_format: optionalString,
  size: optionalString,
  quality: optionalString,
  background: optionalString,
});

const messageItemSchema = z.looseObject({
  type: z.literal("message"),
  content: z.catch(z.array(z.looseObject({ type: z.string(), text: optionalString, refusal: optionalString })), []),
});

const failureSchema = z.looseObject({ code: optionalString, type: optionalString, message: optionalString });

const responseSchema = z.looseObject({
  id: optionalString,
  output: z.optional(z.catch(z.array(z.unknown()), [])),
  usage: tolerantNullish(z.record(z.string(), z.unknown())),
  tool_usage: tolerantNullish(z.record(z.string(), z.unknown())),
  error: tolerantNullish(failureSchema),
  incomplete_details: tolerantNullish(z.looseObject({ reason: optionalString })),
  tools: tolerant(z.array(z.looseObject({ type: optionalString, model: optionalString }))),
});

/** Its `status` is not read: a non-empty result is a final image even while the item says `generating` (protocol.md). */
function toRawImage(item: z.infer<typeof imageItemSchema>): RawImage | undefined {
  if (!item.result) return undefined;
  return {
    callId: item.id,
    b64: item.result,
    revisedPrompt: item.revised_prompt,
    outputFormat: item.output_format,
    size: item.size,
    quality: item.quality,
    background: item.background,
  };
}

function messageTexts(item: z.infer<typeof messageItemSchema>): Array<{ text: string; refusal: boolean }> {
  const texts: Array<{ text: string; refusal: boolean }> = [];
  for (const part of item.content) {
    if (part.refusal) texts.push({ text: part.refusal, refusal: true });
    else if (part.text) texts.push({ text: part.text, refusal: part.type === "refusal" });
  }
  return texts;
}

/** The numeric leaves of a `tool_usage` object, nested objects kept when they hold any; undefined when none. */
function numericLeaves(value: Record<string, unknown>): Record<string, unknown> | undefined {
  const kept: Record<string, unknown> = {};
  for (const [key, leaf] of Object.entries(value)) {
    if (typeof leaf === "number" && Number.isFinite(leaf)) kept[key] = leaf;
    else if (leaf !== null && typeof leaf === "object" && !Array.isArray(leaf)) {
      const nested = numericLeaves(leaf as Record<string, unknown>);
      if (nested !== undefined) kept[key] = nested;
    }
  }
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/** Token usage as sent, plus the numeric part of `tool_usage` (e.g. image counts) under `usage.tool_usage`. */
function usageOf(usage: Record<string, unknown> | null | undefined, toolUsage: Record<string, unknown> | null | undefined): Record<string, unknown> | undefined {
  const tools = toolUsage ? numericLeaves(toolUsage) : undefined;
  if (tools === undefined) return usage ?? undefined;
  return { ...usage, tool_usage: tools };
}

/** Parses a Responses API response object; unknown items are ignored. */
export function parseResponse(value: unknown): ParsedResponse {
  const parsed = responseSchema.safeParse(value);
  if (!parsed.success) return { images: [], texts: [] };
  const response = parsed.data;
  const images: RawImage[] = [];
  const texts: Array<{ text: string; refusal: boolean }> = [];
  for (const entry of response.output ?? []) {
    const image = imageItemSchema.safeParse(entry);
    if (image.success) {
      const raw = toRawImage(image.data);
      if (raw) images.push(raw);
      continue;
    }
    const message = messageItemSchema.safeParse(entry);
    if (message.success) texts.push(...messageTexts(message.data));
  }
  const failure =
    response.error ??
    (response.incomplete_details?.reason
      ? { code: response.incomplete_details.reason, message: `response incomplete: ${response.incomplete_details.reason}` }
      : undefined);
  return {
    requestId: response.id,
    images,
    texts,
    usage: usageOf(response.usage, response.tool_usage),
    failure: failure ?? undefined,
  };
}

const eventSchema = z.looseObject({ type: z.catch(z.string(), "") });
const itemEventSchema = z.looseObject({ item: z.unknown() });
const partialSchema = z.looseObject({
  item_id: z.catch(z.string(), ""),
  partial_image_index: z.catch(z.number(), 0),
  partial_image_b64: z.string(),
  output_format: optionalString,
  size: optionalString,
  quality: optionalString,
  background: optionalString,
});
const textDeltaSchema = z.looseObject({ delta: z.string() });
const textDoneSchema = z.looseObject({ text: z.string() });
const withResponseSchema = z.looseObject({ response: z.optional(z.unknown()) });

/** Classifies one parsed SSE `data` object. */
export function parseEvent(type: string, value: Record<string, unknown>): BackendEvent {
  switch (type) {
    case "response.created":
    case "response.in_progress": {
      const response = responseSchema.safeParse(value.response);
      if (!response.success || !response.data.id) return { kind: "other" };
      const imageModel = response.data.tools?.find((tool) => tool.type === "image_generation")?.model;
      return { kind: "started", requestId: response.data.id, imageModel };
    }
    case "response.output_item.done": {
      const item = itemEventSchema.safeParse(value);
      if (!item.success) return { kind: "other" };
      const image = imageItemSchema.safeParse(item.data.item);
      if (image.success) {
        const raw = toRawImage(image.data);
        return raw ? { kind: "image", image: raw } : { kind: "other" };
      }
      const message = messageItemSchema.safeParse(item.data.item);
      if (message.success) {
        const texts = messageTexts(message.data);
        const refusal = texts.some((text) => text.refusal);
        return texts.length > 0 ? { kind: "text", text: texts.map((t) => t.text).join("\n"), refusal } : { kind: "other" };
      }
      return { kind: "other" };
    }
    case "response.image_generation_call.partial_image": {
      const partial = partialSchema.safeParse(value);
      if (!partial.success) return { kind: "other" };
      const data = partial.data;
      return {
        kind: "partial",
        index: data.partial_image_index,
        image: {
          callId: data.item_id,
          b64: data.partial_image_b64,
          outputFormat: data.output_format,
          size: data.size,
          quality: data.quality,
          background: data.background,
        },
      };
    }
    case "response.output_text.delta":
    case "response.refusal.delta": {
      const delta = textDeltaSchema.safeParse(value);
      return delta.success ? { kind: "text-delta", text: delta.data.delta } : { kind: "other" };
    }
    case "response.output_text.done":
    case "response.refusal.done": {
      const done = textDoneSchema.safeParse(value);
      return done.success ? { kind: "text", text: done.data.text, refusal: type === "response.refusal.done" } : { kind: "other" };
    }
    case "response.completed": {
      const completed = withResponseSchema.safeParse(value);
      return { kind: "completed", response: parseResponse(completed.success ? completed.data.response : undefined) };
    }
    case "response.failed":
    case "response.incomplete": {
      const failed = withResponseSchema.safeParse(value);
      const response = parseResponse(failed.success ? failed.data.response : undefined);
      return { kind: "failed", failure: response.failure ?? { code: type, message: type } };
    }
    case "error": {
      const nested = z.looseObject({ error: failureSchema }).safeParse(value);
      const top = failureSchema.safeParse(value);
      return { kind: "failed", failure: nested.success ? nested.data.error : top.success ? top.data : {} };
    }
    default:
      return { kind: "other" };
  }
}

/** Parses one SSE message; returns undefined for `[DONE]` and for data that is not a JSON object. */
export function parseSseData(data: string, eventName: string | undefined): { type: string; event: BackendEvent } | undefined {
  if (data === "[DONE]") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  const typed = eventSchema.safeParse(value);
  if (!typed.success) return undefined;
  const type = typed.data.type || eventName || "";
  return { type, event: parseEvent(type, typed.data) };
}
