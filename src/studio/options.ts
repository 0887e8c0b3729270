/**
 * The studio's image options: one shape for the page's form, the run request and the library record, checked
 * by the CLI's own rules (validate/image-options.ts) in the page as the user types and again on the server.
 * Browser-safe: the page bundles this file.
 */
import type { BackendName } from "../options.js";
import { imageArgs, type ImageArgs } from "../validate/image-options.js";
import { SNAKE_CASE_IMAGE_OPTIONS } from "../validate/option-names.js";
import type { NameOf } from "../validate/values.js";

export interface StudioOptions {
  /** `WxH` or `auto`; not with `aspect_ratio`. */
  size?: string;
  aspect_ratio?: string;
  quality?: "low" | "medium" | "high" | "auto";
  background?: "transparent" | "opaque" | "auto";
  format?: "png" | "jpeg" | "webp";
  compression?: number;
  moderation?: "auto" | "low";
  count?: number;
  image_model?: string;
  /** Edits only. */
  input_fidelity?: "low" | "high";
  /** Partial frames to stream per image (0–3). */
  partial_images?: number;
}

export type StudioOptionName = keyof StudioOptions;

/** The CLI's flag for each option, so imageArgs checks the page's values word for word. */
const FLAG_OF: Record<StudioOptionName, string> = { ...SNAKE_CASE_IMAGE_OPTIONS, partial_images: "partial-images" };

const OPTION_OF = new Map(Object.entries(FLAG_OF).map(([option, flag]) => [flag, option]));

/** Messages name the studio's fields (`aspect_ratio`); a flag the page has no field for keeps its `--`. */
export const studioName: NameOf = (flag) => OPTION_OF.get(flag) ?? `--${flag}`;

/** The options as the page's fields hold them (text, as typed); missing or empty means "not chosen". */
export type StudioOptionText = Partial<Record<StudioOptionName, string>>;

/**
 * Checks the options as the CLI would; throws a UsageError whose `option` is the studio's field name, and
 * returns the options to send (numbers parsed) with the CLI's warnings (e.g. a size outside the published range).
 */
export function checkStudioOptions(text: StudioOptionText, backend: BackendName): { options: StudioOptions; checked: ImageArgs } {
  const values: Record<string, string | undefined> = {};
  for (const [option, flag] of Object.entries(FLAG_OF) as Array<[StudioOptionName, string]>) {
    const value = text[option]?.trim();
    values[flag] = value === "" ? undefined : value;
  }
  const checked = imageArgs(values, backend, true, studioName);
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  const options: StudioOptions = {
    size: values.size === undefined ? undefined : checked.tool.size,
    aspect_ratio: values["aspect-ratio"],
    quality: checked.tool.quality,
    background: checked.tool.background,
    format: checked.tool.output_format,
    compression: checked.tool.output_compression,
    moderation: checked.tool.moderation,
    count: number(values.count),
    image_model: checked.tool.model,
    input_fidelity: checked.tool.input_fidelity,
    partial_images: number(values["partial-images"]),
  };
  return { options: Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as StudioOptions, checked };
}
