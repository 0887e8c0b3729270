/** What a run asked the image tool for, and each final image that came back otherwise (spec §3 "Honest results"). */
import { canonicalFormat, formatName } from "../images/sniff.js";
import type { GenerateOptions } from "../options.js";
import type { RequestedOptions, ResultWarning, SavedImage } from "../result.js";

const PIXEL_SIZE = /^\d+x\d+$/;

/** The values sent, read from the resolved tool entry (the CLI, library, MCP, serve and batch all build one). */
export function requestedOptions(options: Pick<GenerateOptions, "tool" | "count">): RequestedOptions {
  const { tool } = options;
  return {
    size: tool.size ?? null,
    quality: tool.quality ?? null,
    background: tool.background ?? null,
    output_format: tool.output_format ?? null,
    image_model: tool.model ?? null,
    count: options.count,
  };
}

function formatMismatch(image: SavedImage, asked: string): string | undefined {
  const got = formatName(image.mime);
  const declared = image.output_format === null ? undefined : canonicalFormat(image.output_format);
  if (got !== asked) return `asked for ${asked}, got ${got}${declared !== undefined && declared !== got ? ` (declared ${declared})` : ""}`;
  if (declared !== undefined && declared !== asked) return `asked for ${asked}, the backend declared ${declared} (the file is ${got})`;
  return undefined;
}

/** One warning per final image and code; `image N` counts final images, as plain mode prints their paths. */
export function mismatchWarnings(images: readonly SavedImage[], requested: RequestedOptions): ResultWarning[] {
  const warnings: ResultWarning[] = [];
  let finalNumber = 0;
  images.forEach((image, index) => {
    if (image.partial) return;
    finalNumber += 1;
    const warn = (code: ResultWarning["code"], what: string, detail: string): void => {
      warnings.push({ code, message: `image ${finalNumber} ${what}: ${detail}`, image_index: index });
    };
    const { size, quality, output_format: format } = requested;
    if (size !== null && PIXEL_SIZE.test(size) && image.width !== null && image.height !== null && `${image.width}x${image.height}` !== size) {
      warn("size_mismatch", "size", `asked for ${size}, got ${image.width}x${image.height}`);
    }
    if (quality !== null && quality !== "auto" && image.quality !== null && image.quality !== quality) {
      warn("quality_mismatch", "quality", `asked for ${quality}, got ${image.quality}`);
    }
    const formatDetail = format === null ? undefined : formatMismatch(image, canonicalFormat(format));
    if (formatDetail !== undefined) warn("format_mismatch", "format", formatDetail);
  });
  return warnings;
}
