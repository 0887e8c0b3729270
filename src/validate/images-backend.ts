/** What `--backend images` can send: the typed endpoints have no field for some tool options (spec §0). */
import type { GenerateOptions, ImageToolOptions } from "../options.js";
import { flagName, type NameOf } from "./values.js";

/** Flags the typed endpoints have no field for, by the tool option they set. */
const UNSUPPORTED_FLAGS: ReadonlyArray<[keyof ImageToolOptions, string]> = [
  ["output_format", "format"],
  ["output_compression", "compression"],
  ["moderation", "moderation"],
  ["partial_images", "partial-images"],
  ["input_fidelity", "input-fidelity"],
];

/** Every flag `--backend images` cannot honour. */
export const FLAGS_IMAGES_CANNOT_HONOUR: readonly string[] = [...UNSUPPORTED_FLAGS.map(([, flag]) => flag), "mask"];

/** The options in `options` that `--backend images` cannot honour (spec §0), spelled by `nameOf`. */
export function flagsImagesCannotHonour(options: Pick<GenerateOptions, "tool" | "mask" | "savePartials">, nameOf: NameOf = flagName): string[] {
  const flags = UNSUPPORTED_FLAGS.filter(([field]) => options.tool[field] !== undefined).map(([, flag]) => flag);
  if (options.savePartials && !flags.includes("partial-images")) flags.push("save-partials");
  if (options.mask !== undefined) flags.push("mask");
  return flags.map(nameOf);
}
