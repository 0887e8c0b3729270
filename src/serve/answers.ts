/** Success answers in OpenAI's shapes, written from the saved files: the JSON answer, and the events of `stream: true`. */
import { basename } from "node:path";
import { formatName } from "../images/sniff.js";
import type { GenerateResult, ResultWarning, SavedImage } from "../result.js";
import { objectWithBase64 } from "./byte-stream.js";
import type { ImageFields } from "./fields.js";
import type { OpenAiError } from "./openai-errors.js";

export const finalImages = (result: GenerateResult): SavedImage[] => result.images.filter((image) => !image.partial);

/** What came back, not what was asked: the real pixel size and file type, and the backend's word for the rest. */
function settings(image: SavedImage | undefined): Record<string, string | undefined> {
  if (image === undefined) return {};
  return {
    background: image.background ?? undefined,
    output_format: formatName(image.mime),
    quality: image.quality ?? undefined,
    size: image.width !== null && image.height !== null ? `${image.width}x${image.height}` : (image.size ?? undefined),
  };
}

/** The run's warnings with `image_index` counting `data[]` (final images only) instead of the run's `images[]`. */
export function answerWarnings(result: GenerateResult): ResultWarning[] {
  const dataIndex = new Map<number, number>();
  result.images.forEach((image, index) => {
    if (!image.partial) dataIndex.set(index, dataIndex.size);
  });
  return result.warnings.map(({ image_index, ...warning }) => {
    const index = image_index === undefined ? undefined : dataIndex.get(image_index);
    return index === undefined ? warning : { ...warning, image_index: index };
  });
}

/** `GET /v1/images/files/<name>` on this server, for `response_format: url`. */
export const fileUrl = (origin: string, image: SavedImage): string => `${origin}/v1/images/files/${encodeURIComponent(basename(image.path))}`;

/** `{created, data: [{b64_json | url, revised_prompt?}], background?, output_format?, quality?, size?, usage?, warnings?}`. */
export async function* jsonAnswer(result: GenerateResult, fields: ImageFields, origin: string): AsyncGenerator<string> {
  const images = finalImages(result);
  const warnings = answerWarnings(result);
  const head = {
    created: Math.floor(Date.now() / 1000),
    ...settings(images[0]),
    ...(result.usage && { usage: result.usage }),
    ...(warnings.length > 0 && { warnings }),
  };
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
  /** `warnings`: this image's, as answerWarnings() numbers them. */
  | { kind: "completed"; image: SavedImage; usage: Record<string, unknown> | undefined; warnings: ResultWarning[] }
  | { kind: "error"; error: OpenAiError }
  | { kind: "ping" };

/** One server-sent event: `image_generation.*` for generations, `image_edit.*` for edits, as the SDKs' stream helpers parse them. */
export async function* streamEvent(item: StreamItem, prefix: "image_generation" | "image_edit"): AsyncGenerator<string> {
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
  const { background, output_format, quality, size } = settings(item.image);
  const head = {
    type,
    created_at: Math.floor(Date.now() / 1000),
    size: size ?? "auto",
    quality: quality ?? "auto",
    background: background ?? "auto",
    output_format: output_format ?? "png",
    ...(item.kind === "partial" ? { partial_image_index: item.index } : { ...(item.usage && { usage: item.usage }), ...(item.warnings.length > 0 && { warnings: item.warnings }) }),
  };
  yield `event: ${type}\ndata: `;
  yield* objectWithBase64(head, item.image);
  yield "\n\n";
}
