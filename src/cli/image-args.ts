/** Image tool flags, `--count`, `--concurrency` and partial frames → options, with the cross-flag rules. */
import { flagsImagesCannotHonour } from "../backend/images-flags.js";
import { UsageError } from "../errors.js";
import type { BackendName, ImageFormat, ImageToolOptions } from "../options.js";
import { checkSize, sizeForAspectRatio } from "../size.js";
import { integerInRange, oneOf } from "./flag-values.js";

const MAX_COUNT = 10;
const DEFAULT_MAX_CONCURRENCY = 4;
const PARTIALS_FOR_SAVING = 2;

type Values = Record<string, string | boolean | string[] | undefined>;

export interface ImageArgs {
  tool: ImageToolOptions;
  count: number;
  concurrency: number;
  savePartials: boolean;
  warnings: string[];
}

function size(values: Values, warnings: string[]): string | undefined {
  const given = values.size as string | undefined;
  const ratio = values["aspect-ratio"] as string | undefined;
  if (given !== undefined && ratio !== undefined) throw new UsageError("Give either --size or --aspect-ratio, not both.");
  if (ratio !== undefined) return sizeForAspectRatio(ratio);
  if (given === undefined) return undefined;
  const checked = checkSize(given);
  if (checked.warning) warnings.push(checked.warning);
  return checked.value;
}

function format(values: Values): ImageFormat | undefined {
  const text = values.format as string | undefined;
  return oneOf<ImageFormat>("format", text === "jpg" ? "jpeg" : text, ["png", "jpeg", "webp"]);
}

/** Drops the keys whose value is undefined, so only flags the user gave reach the request. */
function given<T extends object>(entries: T): T {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined)) as T;
}

export function imageArgs(values: Values, backend: BackendName, stream: boolean): ImageArgs {
  const warnings: string[] = [];
  const outputFormat = format(values);
  const compressionText = values.compression as string | undefined;
  const compression = compressionText === undefined ? undefined : integerInRange("compression", compressionText, 0, 100);
  if (compression !== undefined && outputFormat !== "jpeg" && outputFormat !== "webp") {
    throw new UsageError("--compression applies only to --format jpeg or webp.");
  }
  if (backend === "mock" && outputFormat !== undefined && outputFormat !== "png") {
    throw new UsageError("The mock backend renders PNG only; drop --format or use --format png.");
  }
  const partialText = values["partial-images"] as string | undefined;
  let partialImages = partialText === undefined ? undefined : integerInRange("partial-images", partialText, 0, 3);
  const savePartials = Boolean(values["save-partials"]);
  if (savePartials && !stream) throw new UsageError("--save-partials needs streaming; drop --no-stream.");
  if (savePartials && partialImages === 0) throw new UsageError("--save-partials with --partial-images 0 would save nothing.");
  if (savePartials) partialImages ??= PARTIALS_FOR_SAVING;
  const imageModel = values["image-model"] as string | undefined;
  if (imageModel !== undefined && imageModel.trim() === "") throw new UsageError("--image-model needs a model name, e.g. gpt-image-2.");

  const countText = values.count as string | undefined;
  const count = countText === undefined ? 1 : integerInRange("count", countText, 1, MAX_COUNT);
  const concurrencyText = values.concurrency as string | undefined;
  const concurrency =
    concurrencyText === undefined ? Math.min(count, DEFAULT_MAX_CONCURRENCY) : integerInRange("concurrency", concurrencyText, 1, MAX_COUNT);

  const tool = given<ImageToolOptions>({
    size: size(values, warnings),
    quality: oneOf("quality", values.quality as string | undefined, ["low", "medium", "high", "auto"] as const),
    background: oneOf("background", values.background as string | undefined, ["transparent", "opaque", "auto"] as const),
    output_format: outputFormat,
    output_compression: compression,
    moderation: oneOf("moderation", values.moderation as string | undefined, ["auto", "low"] as const),
    input_fidelity: oneOf("input-fidelity", values["input-fidelity"] as string | undefined, ["low", "high"] as const),
    partial_images: partialImages,
    model: imageModel?.trim(),
  });
  if (backend === "images") {
    const unsupported = flagsImagesCannotHonour({ tool, savePartials, mask: values.mask as string | undefined });
    if (unsupported.length > 0) {
      throw new UsageError(`--backend images cannot honour ${unsupported.join(", ")}; drop ${unsupported.length === 1 ? "it" : "them"} or use --backend responses.`);
    }
  }
  return { tool, count, concurrency, savePartials, warnings };
}
