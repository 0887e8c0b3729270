/** A final image's entry in a result, as a run reports it; tests override what they look at. */
import type { SavedImage } from "../../src/result.js";

export function savedImage(extra: Partial<SavedImage> = {}): SavedImage {
  return {
    path: "/out/a.png",
    bytes: 10,
    sha256: "0".repeat(64),
    mime: "image/png",
    width: 1024,
    height: 1024,
    call_id: "ig_1",
    status: "completed",
    partial: false,
    revised_prompt: null,
    size: "1024x1024",
    quality: "high",
    background: null,
    output_format: "png",
    request_index: 0,
    ...extra,
  };
}
