/** The page's run request (`POST /studio/api/runs`), checked at the boundary; the image options get the CLI's checks when the run's options are resolved. */
import * as z from "zod/mini";
import { badRequest } from "../serve/openai-errors.js";
import { runId } from "./library/records.js";
import type { RunRequest } from "./protocol.js";

const MAX_PROMPT_CHARS = 32_000;
const MAX_REFERENCES = 16;

const libraryPath = z.string().check(z.maxLength(300));
const options = z.strictObject({
  size: z.optional(z.string()),
  aspect_ratio: z.optional(z.string()),
  quality: z.optional(z.enum(["low", "medium", "high", "auto"])),
  background: z.optional(z.enum(["transparent", "opaque", "auto"])),
  format: z.optional(z.enum(["png", "jpeg", "webp"])),
  compression: z.optional(z.number()),
  moderation: z.optional(z.enum(["auto", "low"])),
  count: z.optional(z.number()),
  image_model: z.optional(z.string()),
  input_fidelity: z.optional(z.enum(["low", "high"])),
  partial_images: z.optional(z.number()),
});

const runRequestSchema = z.strictObject({
  prompt: z.string().check(z.maxLength(MAX_PROMPT_CHARS)),
  options: z._default(options, () => ({})),
  references: z._default(z.array(libraryPath).check(z.maxLength(MAX_REFERENCES)), () => []),
  mask: z._default(z.nullable(libraryPath), null),
  parent: z._default(z.nullable(z.object({ run: runId, image: z.int().check(z.minimum(0)) })), null),
}) satisfies z.ZodMiniType<RunRequest>;

export function parseRunRequest(body: unknown): RunRequest {
  const parsed = runRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join(".") || undefined;
  const what = issue?.code === "unrecognized_keys" ? `unknown field ${issue.keys.map((key) => JSON.stringify(key)).join(", ")}` : `${field ?? "the request"} is not valid`;
  throw badRequest(field, `The run request is not valid: ${what}. Reload the page (it may be older than the server).`);
}
