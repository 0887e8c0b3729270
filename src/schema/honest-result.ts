/** What was asked and how the images differ (`requested`, `warnings`), as records that keep them (batch manifest, studio library) read them back. */
import * as z from "zod/mini";
import { RESULT_WARNING_CODES, type RequestedOptions, type ResultWarning } from "../result.js";

export const requestedSchema = z.object({
  size: z.nullable(z.string()),
  quality: z.nullable(z.string()),
  background: z.nullable(z.string()),
  output_format: z.nullable(z.string()),
  image_model: z.nullable(z.string()),
  count: z.number(),
}) satisfies z.ZodMiniType<RequestedOptions>;

export const warningSchema = z.object({
  code: z.enum(RESULT_WARNING_CODES),
  message: z.string(),
  image_index: z.optional(z.number()),
}) satisfies z.ZodMiniType<ResultWarning>;
