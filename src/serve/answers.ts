/** Success answers in OpenAI's shapes, written from the saved files: the JSON answer, and the events of `stream: true`. */
import { basename } from "node:path";
import type { GenerateResult, SavedImage } from "../result.js";
import { objectWithBase64 } from "./byte-stream.js";
import type { ImageFields } from "./fields.js";
import type { OpenAiError } from "./openai-errors.js";

const FORMATS: Record<string, string> = { "image/png": "png", "image/jpeg": "jpeg", "image/webp": "webp", "image/gif": "gif" };

export const finalImages = (result: GenerateResult): SavedImage[] => result.images.filter((image) => !image.partial);

/** The settings an image was made with, as OpenAI reports them: the backend's word first, then what was asked. */
function settings(image: SavedImage | undefined, fields: ImageFields): Record<string, string | undefined> {
  return {
    background: image?.background ?? fields.background,
    output_format: image === undefined ? fields.output_format : (FORMATS[image.mime] ?? image.output_format ?? undefined),
    quality: image?.quality ?? fields.quality,
    size: image?.size ?? fields.size,
  };
}

/** `GET /v1/images/files/<name>` on this server, for `response_format: url`. */
export const fileUrl = (origin: string, image: SavedImage): string => `${origin}/v1/images/files/${encodeURIComponent(basename(image.path))}`;

/** `{created, data: [{b64_json | url, revised_prompt?}], background?, output_format?, quality?, size?, usage?}`. */
export async function* jsonAnswer(result: GenerateResult, fields: ImageFields, origin: string): AsyncGenerator<string> {
  const images = finalImages(result);
  const head = { created: Math.floor(Date.now() / 1000), ...settings(images[0], fields), ...(result.usage && { usage: result.usage }) };
  yield `${JSON.stringify(head).slice(0, -1)},"data":[`;
  for (const [i, image] of images.entries()) {
    if (i > 0) yield ",";
    const revised = image.revised_prompt === null ? {} : { revised_prompt: image.revised_prompt };
    if (fields.response_format === "url") yield JSON.stringify({ url: fileUrl(origin, image), ...revised });
    else yield* objectWithBase64(revised, image);
  }
  yield "]}";
}

export type StreamItem =
  | { kind: "partial"; image: SavedImage; index: number }
  | { kind: "completed"; image: SavedImage; usage: Record<string, unknown> | undefined }
  | { kind: "error"; error: OpenAiError }
  | { kind: "ping" };

/** One server-sent event: `image_generation.*` for generations, `image_edit.*` for edits, as the SDKs' stream helpers parse them. */
export async function* streamEvent(item: StreamItem, prefix: "image_generation" | "image_edit", fields: ImageFields): AsyncGenerator<string> {
  if (item.kind === "ping") {
    yield ": keep-alive\n\n";
    return;
  }
  if (item.kind === "error") {
    const { message, type, param, code } = item.error;
    yield `event: error\ndata: ${JSON.stringify({ type: "error", error: { message, type, param, code } })}\n\n`;
    return;
  }
  const type = `${prefix}.${item.kind === "partial" ? "partial_image" : "completed"}`;
  const { background, output_format, quality, size } = settings(item.image, fields);
  const head = {
    type,
    created_at: Math.floor(Date.now() / 1000),
    size: size ?? "auto",
    quality: quality ?? "auto",
    background: background ?? "auto",
    output_format: output_format ?? "png",
    ...(item.kind === "partial" ? { partial_image_index: item.index } : item.usage && { usage: item.usage }),
  };
  yield `event: ${type}\ndata: `;
  yield* objectWithBase64(head, item.image);
  yield "\n\n";
}
