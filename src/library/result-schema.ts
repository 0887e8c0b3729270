/**
 * The `--json` result as a zod schema: the MCP tools' outputSchema, and the source `npm run build`
 * turns into schema/result.schema.json. A unit test keeps it equal to the GenerateResult type.
 */
import { z } from "zod";
import { RESULT_WARNING_CODES } from "../result.js";

const nullableText = z.string().nullable();
const count = z.int().min(0);

const savedImage = z.object({
  path: z.string().describe("Absolute path of the saved file."),
  bytes: count.describe("File size in bytes."),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).describe("SHA-256 of the file, hex."),
  mime: z.string().describe("The sniffed type: image/png, image/jpeg, image/gif or image/webp."),
  width: z.int().nullable(),
  height: z.int().nullable(),
  call_id: z.string().describe("The backend's image_generation call id."),
  status: z.string(),
  partial: z.boolean().describe("true for a streamed partial frame (--save-partials), false for a final image."),
  revised_prompt: nullableText.describe("The prompt the image model actually used, when the backend reported it."),
  size: nullableText,
  quality: nullableText,
  background: nullableText,
  output_format: nullableText.describe("The format the backend declared; the file follows `mime`."),
  request_index: count.describe("Which requests[] entry produced the image (0-based)."),
});

const requestSummary = z.object({
  index: count,
  request_id: nullableText,
  status: z.enum(["ok", "failed"]),
  image_count: count,
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

const rateLimitWindow = z.object({
  used_percent: z.number().optional(),
  window_minutes: z.number().optional(),
  resets_at: z.string().optional().describe("ISO 8601 time the window resets."),
  resets_in_seconds: z.number().optional(),
});

const usageWindow = z.object({
  name: z.string().describe('The window\'s name: "primary", "secondary", ...'),
  used_percent: z.number().nullable(),
  window_seconds: z.number().nullable().describe("The window's length."),
  resets_at: nullableText.describe("ISO 8601 time the window resets."),
  resets_in_seconds: z.number().nullable(),
});

const usageLimits = z.object({
  plan_type: nullableText,
  windows: z.array(usageWindow),
  credits: z.record(z.string(), z.unknown()).optional().describe("The usage endpoint's credits object, verbatim."),
  fetched_at: z.string().describe("ISO 8601 time the limits were read."),
});

const requested = z
  .object({
    size: nullableText.describe("WxH or auto, after --aspect-ratio mapping."),
    quality: nullableText,
    background: nullableText,
    output_format: nullableText,
    image_model: nullableText,
    count: count,
  })
  .describe("What was sent to the image tool, after defaults; null where nothing was sent.");

const warning = z.object({
  code: z.enum(RESULT_WARNING_CODES),
  message: z.string().describe('Names both values, e.g. "image 1 size: asked for 1536x1024, got 1024x1024".'),
  image_index: count.optional().describe("The image's index in images[]."),
});

export const generateResultSchema = z
  .object({
    request_id: nullableText.describe("The backend's id of the (first) response."),
    session_id: z.string(),
    endpoint: z.string(),
    model: z.string(),
    backend: z.string().describe("Which backend served the run: responses, images or mock."),
    image_count: count.describe("Number of final images saved."),
    imageCount: count.describe("Alias of image_count."),
    images: z.array(savedImage).describe("Saved images in request order; partial frames included with partial: true."),
    requests: z.array(requestSummary).describe("One entry per request (--count), with its status and error."),
    timed_out: z.boolean().describe("The timeout struck after at least one image was saved."),
    retry_attempts: count,
    elapsed_ms: count,
    usage: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("Token usage from response.completed; its numeric tool_usage (e.g. image counts) under tool_usage. Summed over --count."),
    rate_limits: z
      .object({ primary: rateLimitWindow.optional(), secondary: rateLimitWindow.optional() })
      .optional()
      .describe("Rate-limit windows from the backend's x-codex-* headers."),
    auth_refresh: z
      .object({
        refreshed: z.boolean(),
        skipped: nullableText,
        last_refresh: nullableText,
        access_token_expires_in_seconds: z.number().nullable(),
      })
      .optional(),
    seen_event_types: z.array(z.string()),
    usage_limits: usageLimits.optional().describe("The account's limits from the usage endpoint, when the caller read them; a generation alone leaves them out."),
    requested,
    warnings: z
      .array(warning)
      .describe("Final images that differ from what was asked (size, quality, format); empty when none. Nothing is resized or re-encoded."),
  })
  .describe("codex-imagen result: the saved images and what happened on the way (same object as --json).");

/** The JSON Schema exactly as the MCP SDK derives it for a tool's outputSchema. */
export function resultJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(generateResultSchema, { target: "draft-7", io: "output" });
}
