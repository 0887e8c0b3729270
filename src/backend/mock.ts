/** Offline backend: deterministic placeholder PNGs from the prompt, for fresh machines and agent tests. */
import { createHash } from "node:crypto";
import { renderPlaceholder } from "../images/png.js";
import type { ImageToolOptions } from "../options.js";
import type { ImageBackend } from "./backend.js";

export const MOCK_DEFAULT_SIZE = "1024x1024";

export interface MockBackendOptions {
  prompt: string;
  tool: ImageToolOptions;
  savePartials: boolean;
}

export function createMockBackend(options: MockBackendOptions): ImageBackend {
  const size = options.tool.size === undefined || options.tool.size === "auto" ? MOCK_DEFAULT_SIZE : options.tool.size;
  const [width, height] = size.split("x").map(Number) as [number, number];
  const partials = options.savePartials ? (options.tool.partial_images ?? 0) : 0;
  return {
    name: "mock",
    endpoint: "mock:",
    model: "mock",
    needsCredential: false,
    // It draws the size it was given (or its default) as a PNG.
    sent: { ...options.tool, size, output_format: "png" },
    async attempt(context, record) {
      // Request 1 draws the prompt itself; further `--count` requests get their own variation.
      const seed = context.requestIndex === 0 ? options.prompt : `${options.prompt}\n#${context.requestIndex + 1}`;
      const id = `mock_${createHash("sha256").update(seed).digest("hex").slice(0, 12)}`;
      record.requestId = id;
      const metadata = { callId: id, outputFormat: "png", size, quality: options.tool.quality, background: options.tool.background };
      for (let frame = 0; frame < partials; frame += 1) {
        context.onProgress({ type: "partial", callId: id, index: frame });
        await context.saveImage({ ...metadata, data: [renderPlaceholder(`${seed}\npartial ${frame}`, width, height)], partialIndex: frame, status: "generating" });
      }
      await context.saveImage({ ...metadata, data: [renderPlaceholder(seed, width, height)], status: "completed" });
      record.finalImages += 1;
    },
  };
}
