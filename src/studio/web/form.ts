/** The form's fields → the run's options, checked by the CLI's rules as the user types. */
import type { BackendName } from "../../options.js";
import { FLAGS_IMAGES_CANNOT_HONOUR } from "../../validate/images-backend.js";
import type { SessionInfo } from "../protocol.js";
import { checkStudioOptions, type StudioOptionName, type StudioOptions, type StudioOptionText, studioName } from "../options.js";
import type { FormFields } from "./state.js";

export interface FormCheck {
  options: StudioOptions;
  warnings: string[];
  /** The first problem, and the option it is about (the studio's name, e.g. `aspect_ratio`). */
  error: { message: string; param: string | null } | null;
}

export const SIZE_PRESETS: ReadonlyArray<[string, string]> = [
  ["1024x1024", "1024x1024 square"],
  ["1536x1024", "1536x1024 landscape"],
  ["1024x1536", "1024x1536 portrait"],
  ["2048x2048", "2048x2048 square, 2K"],
  ["2048x1152", "2048x1152 wide, 2K"],
  ["3840x2160", "3840x2160 wide, 4K"],
  ["2160x3840", "2160x3840 tall, 4K"],
];

/** The backend the server runs (its --backend), as the option checks name it. */
export function serverBackend(info: SessionInfo | null): BackendName {
  return info?.backend === "images" || info?.backend === "mock" ? info.backend : "responses";
}

/** What a backend cannot honour (the options, and "mask"): the page leaves it out instead of offering what would be refused or dropped. */
export function unavailable(backend: BackendName): ReadonlySet<StudioOptionName | "mask"> {
  if (backend === "images") return new Set(FLAGS_IMAGES_CANNOT_HONOUR.map((flag) => (flag === "mask" ? "mask" : (studioName(flag) as StudioOptionName))));
  // The offline mock draws PNG only, and streams no previews.
  if (backend === "mock") return new Set(["format", "compression", "partial_images"]);
  return new Set();
}

export function optionText(form: FormFields, editing: boolean, backend: BackendName): StudioOptionText {
  const text: StudioOptionText = {
    size: form.sizeChoice === "custom" ? form.customSize : form.sizeChoice === "ratio" || form.sizeChoice === "" ? undefined : form.sizeChoice,
    aspect_ratio: form.sizeChoice === "ratio" ? form.aspectRatio : undefined,
    quality: form.quality,
    background: form.background,
    format: form.format,
    compression: form.format === "jpeg" || form.format === "webp" ? form.compression : undefined,
    moderation: form.moderation,
    count: form.count,
    image_model: form.imageModel,
    input_fidelity: editing ? form.inputFidelity : undefined,
    partial_images: form.previews,
  };
  for (const option of unavailable(backend)) if (option !== "mask") delete text[option];
  return text;
}

export function checkForm(form: FormFields, backend: BackendName, editing: boolean): FormCheck {
  try {
    const { options, checked } = checkStudioOptions(optionText(form, editing, backend), backend);
    return { options, warnings: checked.warnings, error: null };
  } catch (error) {
    const option = (error as { option?: string }).option;
    return { options: {}, warnings: [], error: { message: (error as Error).message, param: option ?? null } };
  }
}

/** The form's fields for options a run was made with ("Reuse settings"). */
export function fieldsOf(options: StudioOptions): FormFields {
  const preset = options.size !== undefined && SIZE_PRESETS.some(([size]) => size === options.size);
  const text = (value: string | number | undefined) => (value === undefined ? "" : String(value));
  return {
    sizeChoice: options.aspect_ratio !== undefined ? "ratio" : options.size === undefined || options.size === "auto" ? "" : preset ? options.size : "custom",
    customSize: preset ? "" : text(options.size === "auto" ? undefined : options.size),
    aspectRatio: text(options.aspect_ratio),
    quality: text(options.quality),
    background: text(options.background),
    format: text(options.format),
    compression: text(options.compression),
    moderation: text(options.moderation),
    count: text(options.count ?? 1),
    imageModel: text(options.image_model),
    inputFidelity: text(options.input_fidelity),
    previews: text(options.partial_images ?? 2),
  };
}
