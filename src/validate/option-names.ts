/** The image options as batch jobs and the studio name them (snake_case), by the CLI flag `imageArgs` checks them under. */
export const SNAKE_CASE_IMAGE_OPTIONS = {
  size: "size",
  aspect_ratio: "aspect-ratio",
  quality: "quality",
  background: "background",
  format: "format",
  compression: "compression",
  moderation: "moderation",
  input_fidelity: "input-fidelity",
  image_model: "image-model",
  count: "count",
} as const;
