/**
 * The typed image endpoints the Codex CLI itself uses: `<base>/images/generations` and `/images/edits`.
 * Only prompt, model, size, quality, background and the reference images are sent (spec §0).
 */
import * as z from "zod/mini";
import { tolerant, tolerantNullish } from "../schema/tolerant.js";
import { BackendError } from "../errors.js";
import { decodeBase64Strict } from "../images/base64.js";
import type { PreparedReference } from "../images/image-item.js";
import type { ImageToolOptions } from "../options.js";
import type { ImageBackend } from "./backend.js";
import { exchange } from "./exchange.js";

export const DEFAULT_IMAGES_MODEL = "gpt-image-2";

const answerSchema = z.looseObject({
  created: tolerant(z.number()),
  data: z.catch(z.array(z.looseObject({ b64_json: tolerantNullish(z.string()), revised_prompt: tolerant(z.string()) })), []),
  background: tolerant(z.string()),
  quality: tolerant(z.string()),
  size: tolerant(z.string()),
  output_format: tolerant(z.string()),
});

export interface ImagesBackendOptions {
  baseUrl: string;
  prompt: string;
  references: PreparedReference[];
  tool: ImageToolOptions;
}

export function createImagesBackend(options: ImagesBackendOptions): ImageBackend {
  const base = options.baseUrl.replace(/\/+$/, "");
  const edit = options.references.length > 0;
  const endpoint = `${base}/images/${edit ? "edits" : "generations"}`;
  const { size, quality, background, model } = options.tool;
  const body = JSON.stringify({
    prompt: options.prompt,
    model: model ?? DEFAULT_IMAGES_MODEL,
    ...(size !== undefined && { size }),
    ...(quality !== undefined && { quality }),
    ...(background !== undefined && { background }),
    ...(edit && { images: options.references.map((reference) => ({ image_url: reference.imageUrl })) }),
  });

  return {
    name: "images",
    endpoint,
    model: model ?? DEFAULT_IMAGES_MODEL,
    needsCredential: true,
    // The typed endpoints take no format, compression, moderation, fidelity or partial frames (spec §0).
    sent: { size, quality, background, model: model ?? DEFAULT_IMAGES_MODEL },
    attempt(context, record) {
      return exchange(context, record, {
        url: endpoint,
        stream: false,
        model: { name: model ?? DEFAULT_IMAGES_MODEL, flag: "--image-model" },
        body: () => body,
        read: async (response) => {
          let json: unknown;
          try {
            json = JSON.parse(await response.text());
          } catch {
            throw new BackendError("backend", "The images endpoint's answer was not valid JSON.", { retryable: true });
          }
          const parsed = answerSchema.safeParse(json);
          if (!parsed.success) throw new BackendError("backend", "The images endpoint answered in an unexpected shape (no data list).", { retryable: true });
          const answer = parsed.data;
          const images = answer.data.filter((entry) => entry.b64_json);
          if (images.length === 0) throw new BackendError("backend", "The images endpoint answered without an image.", { retryable: true });
          const created = answer.created ?? Math.floor(Date.now() / 1000);
          for (const [index, entry] of images.entries()) {
            await context.saveImage({
              callId: `img_${created}_${context.requestIndex + 1}_${index + 1}`,
              data: [decodeBase64Strict(entry.b64_json as string, `image ${index + 1}`)],
              status: "completed",
              revisedPrompt: entry.revised_prompt,
              outputFormat: answer.output_format,
              // What the endpoint declared, never the request echoed: a result reports what came back.
              size: answer.size,
              quality: answer.quality,
              background: answer.background,
            });
            record.finalImages += 1;
          }
        },
      });
    },
  };
}
