/** One request's fields → the run's options, through the library's checks, so every rule speaks as for the CLI but names OpenAI's fields. */
import { type ResolvedOptions, resolveOptions } from "../library/options.js";
import type { NameOf } from "../validate/values.js";
import type { ServeConfig } from "./args.js";
import type { ImageFields } from "./fields.js";
import type { ParamOf } from "./openai-errors.js";

/** CLI option names as OpenAI's API spells them; the server's own flags keep their `--`. */
const OPENAI_NAMES: Record<string, string> = {
  format: "output_format",
  compression: "output_compression",
  "input-fidelity": "input_fidelity",
  "partial-images": "partial_images",
  "save-partials": "partial_images",
  "image-model": "model",
  count: "n",
  concurrency: "n",
  "no-stream": "stream",
};
const SAME_NAMES = new Set(["size", "quality", "background", "moderation"]);

const openAiName: NameOf = (flag) => OPENAI_NAMES[flag] ?? (SAME_NAMES.has(flag) ? flag : `--${flag}`);

/** The request field a UsageError is about: image options by their OpenAI names, references by `references`. */
export function paramOf(references: "image" | "images"): ParamOf {
  return (option) => {
    if (option === undefined || option.startsWith("--")) return option === "--input-ref" ? references : option === "--mask" ? "mask" : undefined;
    return option;
  };
}

/** OpenAI's older models, which old clients still name: they mean "the server's default". */
const LEGACY_MODELS = /^dall-e-/i;

export interface RunInputs {
  /** Where the run saves its images: the request's temp dir, or `--keep`. */
  outputDir: string;
  /** A temp dir (relative paths never occur: every reference is absolute or a URL). */
  cwd: string;
  references?: string[];
  mask?: string;
}

export function runOptions(fields: ImageFields, config: ServeConfig, inputs: RunInputs): ResolvedOptions {
  const n = fields.n ?? 1;
  const upstreamStreams = config.base.stream !== false;
  const partials = fields.stream ? fields.partial_images : undefined;
  const model = fields.model !== undefined && !LEGACY_MODELS.test(fields.model) ? fields.model : config.base.imageModel;
  return resolveOptions(
    {
      ...config.base,
      prompt: fields.prompt,
      size: fields.size,
      quality: fields.quality,
      background: fields.background,
      format: fields.output_format,
      compression: fields.output_compression,
      moderation: fields.moderation,
      inputFidelity: fields.input_fidelity,
      partialImages: partials,
      // Partial frames reach the client as files the run saves; they need the upstream stream.
      savePartials: upstreamStreams && partials !== undefined && partials > 0,
      imageModel: model,
      count: n,
      // The server's shared slots bound the upstream requests; a run may start all of its own.
      concurrency: n,
      outputDir: inputs.outputDir,
      cwd: inputs.cwd,
      references: inputs.references,
      mask: inputs.mask,
    },
    openAiName,
  );
}
