/** A batch job as its author writes it: the public type of JSONL lines, CSV rows and `generateBatch()` lists. */
import type { ImageFormat, ImageToolOptions } from "../options.js";

/** One job, as a JSONL line, a CSV row or an element of `generateBatch()`'s list. Only `prompt` is required. */
export interface BatchJob {
  prompt: string;
  /** Names the job's files (`<id>.png`, `<id>-2.png`, ...) and its manifest records; default: a hash of the job. */
  id?: string;
  /** File name in the batch output directory, instead of one made from the id. */
  output?: string;
  size?: string;
  aspect_ratio?: string;
  quality?: ImageToolOptions["quality"];
  background?: ImageToolOptions["background"];
  format?: ImageFormat | "jpg";
  compression?: number;
  moderation?: ImageToolOptions["moderation"];
  input_fidelity?: ImageToolOptions["input_fidelity"];
  image_model?: string;
  count?: number;
  /** Local paths (relative to the batch file), http(s) URLs or data: URLs, in order ("Image 1", "Image 2", ...). */
  references?: string[];
  mask?: string;
}
