/** Image tool options, count, concurrency and partial frames → options, with the rules between them (CLI, library and MCP). */
import { flagsImagesCannotHonour } from "./images-backend.js";
import { UsageError } from "../errors.js";
import type { BackendName, ImageFormat, ImageToolOptions } from "../options.js";
import { checkSize, sizeForAspectRatio } from "./size.js";
import { integerInRange, type NameOf, oneOf } from "./values.js";

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

function size(values: Values, warnings: string[], nameOf: NameOf): string | undefined {
  const given = values.size as string | undefined;
  const ratio = values["aspect-ratio"] as string | undefined;
  if (given !== undefined && ratio !== undefined) throw new UsageError(`Give either ${nameOf("size")} or ${nameOf("aspect-ratio")}, not both.`, nameOf("size"));
  if (ratio !== undefined) return sizeForAspectRatio(ratio, nameOf("aspect-ratio"));
  if (given === undefined) return undefined;
  const checked = checkSize(given, nameOf("size"));
  if (checked.warning) warnings.push(checked.warning);
  return checked.value;
}

function format(values: Values, nameOf: NameOf): ImageFormat | undefined {
  const text = values.format as string | undefined;
  return oneOf<ImageFormat>(nameOf("format"), text === "jpg" ? "jpeg" : text, ["png", "jpeg", "webp"]);
}

/** Drops the keys whose value is undefined, so only flags the user gave reach the request. */
function given<T extends object>(entries: T): T {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined)) as T;
}

/** `values` are keyed by flag name (`aspect-ratio`); `nameOf` spells an option for the caller's messages. */
export function imageArgs(values: Values, backend: BackendName, stream: boolean, nameOf: NameOf): ImageArgs {
  const warnings: string[] = [];
  const outputFormat = format(values, nameOf);
  const compressionText = values.compression as string | undefined;
  const compression = compressionText === undefined ? undefined : integerInRange(nameOf("compression"), compressionText, 0, 100);
  if (compression !== undefined && outputFormat !== "jpeg" && outputFormat !== "webp") {
    throw new UsageError(`${nameOf("compression")} applies only to ${nameOf("format")} jpeg or webp.`, nameOf("compression"));
  }
  if (backend === "mock" && outputFormat !== undefined && outputFormat !== "png") {
    throw new UsageError(`The mock backend renders PNG only; drop ${nameOf("format")} or use ${nameOf("format")} png.`, nameOf("format"));
  }
  const partialText = values["partial-images"] as string | undefined;
  let partialImages = partialText === undefined ? undefined : integerInRange(nameOf("partial-images"), partialText, 0, 3);
  const savePartials = Boolean(values["save-partials"]);
  if (savePartials && !stream) throw new UsageError(`${nameOf("save-partials")} needs streaming; drop ${nameOf("no-stream")}.`, nameOf("save-partials"));
  if (savePartials && partialImages === 0) throw new UsageError(`${nameOf("save-partials")} with ${nameOf("partial-images")} 0 would save nothing.`, nameOf("partial-images"));
  if (savePartials) partialImages ??= PARTIALS_FOR_SAVING;
  const imageModel = values["image-model"] as string | undefined;
  if (imageModel !== undefined && imageModel.trim() === "") throw new UsageError(`${nameOf("image-model")} needs a model name, e.g. gpt-image-2.`, nameOf("image-model"));

  const countText = values.count as string | undefined;
  const count = countText === undefined ? 1 : integerInRange(nameOf("count"), countText, 1, MAX_COUNT);
  const concurrencyText = values.concurrency as string | undefined;
  const concurrency =
    concurrencyText === undefined ? Math.min(count, DEFAULT_MAX_CONCURRENCY) : integerInRange(nameOf("concurrency"), concurrencyText, 1, MAX_COUNT);

  const tool = given<ImageToolOptions>({
    size: size(values, warnings, nameOf),
    quality: oneOf(nameOf("quality"), values.quality as string | undefined, ["low", "medium", "high", "auto"] as const),
    background: oneOf(nameOf("background"), values.background as string | undefined, ["transparent", "opaque", "auto"] as const),
    output_format: outputFormat,
    output_compression: compression,
    moderation: oneOf(nameOf("moderation"), values.moderation as string | undefined, ["auto", "low"] as const),
    input_fidelity: oneOf(nameOf("input-fidelity"), values["input-fidelity"] as string | undefined, ["low", "high"] as const),
    partial_images: partialImages,
    model: imageModel?.trim(),
  });
  if (backend === "images") {
    const unsupported = flagsImagesCannotHonour({ tool, savePartials, mask: values.mask as string | undefined }, nameOf);
    if (unsupported.length > 0) {
      const backendName = nameOf("backend");
      throw new UsageError(
        `${backendName} images cannot honour ${unsupported.join(", ")}; drop ${unsupported.length === 1 ? "it" : "them"} or use ${backendName} responses.`,
        unsupported[0],
      );
    }
  }
  return { tool, count, concurrency, savePartials, warnings };
}
