/** The fields of one batch job (snake_case, as the MCP tools name them) and the shape check of a job line. */
import * as z from "zod/mini";
import { SNAKE_CASE_IMAGE_OPTIONS } from "../validate/option-names.js";

const text = z.string();
const numeric = z.union([z.number(), z.string()]);

/** Lenient where a CSV cell can only be text: numbers may be numeric strings, references one string. */
export const jobSchema = z.strictObject({
  prompt: text,
  id: z.optional(text),
  output: z.optional(text),
  size: z.optional(text),
  aspect_ratio: z.optional(text),
  quality: z.optional(text),
  background: z.optional(text),
  format: z.optional(text),
  compression: z.optional(numeric),
  moderation: z.optional(text),
  input_fidelity: z.optional(text),
  image_model: z.optional(text),
  count: z.optional(numeric),
  references: z.optional(z.union([z.array(text), text])),
  mask: z.optional(text),
});

export type JobFields = z.infer<typeof jobSchema>;

export const JOB_FIELDS = Object.keys(jobSchema.def.shape) as Array<keyof JobFields>;

/** What a field takes, for "x must be ..." messages. */
export function expectedValue(field: string): string {
  if (field === "compression" || field === "count") return "a number";
  if (field === "references") return "a list of paths or URLs";
  return "text";
}

/** Image options a job may set, by the flag name `imageArgs` knows them under. */
export const IMAGE_FIELDS = SNAKE_CASE_IMAGE_OPTIONS satisfies Partial<Record<keyof JobFields, string>>;
