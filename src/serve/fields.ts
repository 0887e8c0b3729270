/** The OpenAI Images API's request fields, checked at the boundary (zod/mini); errors name the field as `param`. */
import * as z from "zod/mini";
import { badRequest } from "./openai-errors.js";

export type Quality = "low" | "medium" | "high" | "auto";

/** The fields of one generation or edit request, nulls dropped and aliases resolved. */
export interface ImageFields {
  prompt: string;
  model?: string;
  n?: number;
  size?: string;
  quality?: Quality;
  background?: "transparent" | "opaque" | "auto";
  output_format?: "png" | "jpeg" | "webp";
  output_compression?: number;
  moderation?: "auto" | "low";
  partial_images?: number;
  input_fidelity?: "low" | "high";
  stream: boolean;
  response_format: "b64_json" | "url";
}

/** An edit's reference image given in a JSON body. */
export interface ImageRef {
  image_url?: string;
  file_id?: string;
}

const nullish = <T extends z.core.SomeType>(schema: T) => z.optional(z.nullable(schema));

const imageFields = {
  prompt: z.string().check(z.refine((text) => text.trim() !== "", "must not be empty")),
  model: nullish(z.string()),
  n: nullish(z.number()),
  size: nullish(z.string()),
  // DALL-E 3's names, which many clients still send.
  quality: nullish(z.enum(["low", "medium", "high", "auto", "standard", "hd"])),
  background: nullish(z.enum(["transparent", "opaque", "auto"])),
  output_format: nullish(z.enum(["png", "jpeg", "webp"])),
  output_compression: nullish(z.number()),
  moderation: nullish(z.enum(["auto", "low"])),
  partial_images: nullish(z.number()),
  stream: nullish(z.boolean()),
  response_format: nullish(z.enum(["b64_json", "url"])),
  // Accepted and ignored, as OpenAI's gpt-image models do.
  user: nullish(z.string()),
  style: nullish(z.string()),
};
const imageRef = z.object({ image_url: nullish(z.string()), file_id: nullish(z.string()) });

const generationSchema = z.object(imageFields);
const editFormSchema = z.object({ ...imageFields, input_fidelity: nullish(z.enum(["low", "high"])) });
const editJsonSchema = z.object({ ...editFormSchema.shape, images: z.array(imageRef).check(z.minLength(1, "needs at least one image")), mask: nullish(imageRef) });

function paramPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === "number" ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`)).join("");
}

/** The value at `path` in the request body (zod/mini issues do not carry it). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((value, key) => (typeof value === "object" && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined), input);
}

function issueMessage(issue: z.core.$ZodIssue, param: string, input: unknown): string {
  switch (issue.code) {
    case "invalid_type":
      return valueAt(input, issue.path) === undefined ? `${param} is required.` : `${param} must be ${issue.expected === "array" ? "a list" : `a ${issue.expected}`}.`;
    case "invalid_value":
      return `${param} must be one of ${issue.values.map(String).join(", ")}.`;
    default:
      return `${param} ${issue.message}.`;
  }
}

function check<T>(schema: z.ZodMiniType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue === undefined ? "" : paramPath(issue.path);
  throw badRequest(param || undefined, issue === undefined ? "The request body is invalid." : issueMessage(issue, param || "The body", input));
}

const IGNORED = new Set(["user", "style"]);
const QUALITY_ALIASES: Record<string, Quality> = { standard: "medium", hd: "high" };

type Parsed = z.infer<typeof editFormSchema>;

function normalise(parsed: Parsed): ImageFields {
  const { quality, stream, response_format, ...rest } = parsed;
  const given = Object.fromEntries(Object.entries(rest).filter(([key, value]) => value !== null && value !== undefined && !IGNORED.has(key)));
  return {
    ...(given as Omit<ImageFields, "quality" | "stream" | "response_format">),
    ...(quality != null && { quality: QUALITY_ALIASES[quality] ?? (quality as Quality) }),
    stream: stream ?? false,
    response_format: response_format ?? "b64_json",
  };
}

export function generationFields(body: unknown): ImageFields {
  return normalise(check(generationSchema, body));
}

/** A JSON edit: the fields plus `images` and `mask` as `{image_url}` objects. */
export function editJsonFields(body: unknown): { fields: ImageFields; images: ImageRef[]; mask: ImageRef | undefined } {
  const { images, mask, ...rest } = check(editJsonSchema, body);
  const ref = (value: { image_url?: string | null; file_id?: string | null }): ImageRef => ({
    ...(value.image_url != null && { image_url: value.image_url }),
    ...(value.file_id != null && { file_id: value.file_id }),
  });
  return { fields: normalise(rest), images: images.map(ref), mask: mask == null ? undefined : ref(mask) };
}

const NUMBER_FIELDS = new Set(["n", "output_compression", "partial_images"]);

/** A multipart edit's text fields: numbers and booleans arrive as text. */
export function editFormFields(form: Record<string, string>): ImageFields {
  const typed: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(form)) {
    if (NUMBER_FIELDS.has(key) && /^\s*-?\d+(\.\d+)?\s*$/.test(text)) typed[key] = Number(text);
    else if (key === "stream" && (text === "true" || text === "false")) typed[key] = text === "true";
    else typed[key] = text;
  }
  return normalise(check(editFormSchema, typed));
}
