/** The page's run request → the run's options, through the library's checks (the CLI's rules), with the server's flags as the base. */
import { type ResolvedOptions, resolveOptions } from "../library/options.js";
import type { ServeConfig } from "../serve/args.js";
import { studioName } from "./options.js";
import type { RunRequest } from "./protocol.js";

/** Previews per image when the page does not say (the page's own default is the same). */
const DEFAULT_PARTIAL_IMAGES = 2;

export interface RunInputs {
  /** Where the run saves its images: the library's images/ folder. */
  outputDir: string;
  cwd: string;
  /** Absolute paths, in the library's inputs/ folder. */
  references: string[];
  mask: string | undefined;
}

export function studioRunOptions(request: RunRequest, config: ServeConfig, inputs: RunInputs): ResolvedOptions {
  const { options: asked } = request;
  const { base } = config;
  // Previews reach the page as files the run saves: that needs the upstream stream, which only the responses backend has.
  const streams = base.stream !== false && (base.backend ?? "responses") === "responses";
  const previews = streams ? (asked.partial_images ?? DEFAULT_PARTIAL_IMAGES) : 0;
  return resolveOptions(
    {
      ...base,
      prompt: request.prompt,
      size: asked.size,
      aspectRatio: asked.aspect_ratio,
      quality: asked.quality,
      background: asked.background,
      format: asked.format,
      compression: asked.compression,
      moderation: asked.moderation,
      inputFidelity: asked.input_fidelity,
      imageModel: asked.image_model ?? base.imageModel,
      count: asked.count,
      // The server's shared slots bound the upstream requests; a run may start all of its own.
      concurrency: asked.count,
      partialImages: streams ? previews : undefined,
      savePartials: previews > 0,
      ...inputs,
    },
    studioName,
  );
}
