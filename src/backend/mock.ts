/** Offline backend: a deterministic placeholder PNG from the prompt, for fresh machines and agent tests. */
import { createHash } from "node:crypto";
import { renderPlaceholder } from "../images/png.js";
import type { ImageBackend } from "./backend.js";

export const MOCK_DEFAULT_SIZE = "1024x1024";

export interface MockBackendOptions {
  prompt: string;
  /** `WxH` or `auto`. */
  size: string | undefined;
}

export function createMockBackend(options: MockBackendOptions): ImageBackend {
  const size = options.size === undefined || options.size === "auto" ? MOCK_DEFAULT_SIZE : options.size;
  const [width, height] = size.split("x").map(Number) as [number, number];
  const digest = createHash("sha256").update(options.prompt).digest("hex").slice(0, 12);
  return {
    name: "mock",
    endpoint: "mock:",
    needsCredential: false,
    async attempt(context, record) {
      record.requestId = `mock_${digest}`;
      await context.saveImage({
        callId: `mock_${digest}`,
        data: renderPlaceholder(options.prompt, width, height),
        status: "completed",
        outputFormat: "png",
        size,
      });
      record.finalImages += 1;
    },
  };
}
