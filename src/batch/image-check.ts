/** A job's image options checked over the batch's defaults by the CLI's rules, reporting every option at fault, not only the first. */
import { UsageError } from "../errors.js";
import { type ImageArgs, imageArgs } from "../validate/image-options.js";
import type { NameOf } from "../validate/values.js";
import type { GenerateOptions } from "../options.js";

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export interface ImageDefaults {
  base: Pick<GenerateOptions, "backend" | "stream">;
  /** Image options for every job, keyed by flag name (`aspect-ratio`). */
  image: FlagValues;
  /** How the defaults are spelled in messages (`--size` or `size`). */
  nameOf: NameOf;
}

export interface ImageCheckResult {
  /** The options that passed (all of them when `errors` is empty). */
  args: ImageArgs | undefined;
  errors: UsageError[];
}

/** A job's own options keyed by flag name; its field names are the flag names with `_` for `-`. */
export type ImageCheck = (own: FlagValues) => ImageCheckResult;

export const fieldOfFlag = (flag: string): string => flag.replace(/-/g, "_");

/** The job field named first in `message` (as `size` or `--size`), among `fields`. */
export function firstFieldNamed(message: string, fields: readonly string[]): string | undefined {
  return fields
    .map((field) => ({ field, at: message.search(new RegExp(`(^|[^\\w-])(--)?${field}\\b`)) }))
    .filter((entry) => entry.at !== -1)
    .sort((a, b) => a.at - b.at)[0]?.field;
}

/** The defaults a job takes: all but those it sets itself (its size or aspect_ratio replaces both). */
export function inheritedDefaults(defaults: FlagValues, own: FlagValues): FlagValues {
  const inherited: FlagValues = {};
  const ownsSize = own.size !== undefined || own["aspect-ratio"] !== undefined;
  for (const [flag, value] of Object.entries(defaults)) {
    if (value === undefined || own[flag] !== undefined || (ownsSize && (flag === "size" || flag === "aspect-ratio"))) continue;
    inherited[flag] = value;
  }
  return inherited;
}

/** Which of the job's own options an error is about: the one it names as its option, else the first its message names. */
function culprit(error: UsageError, own: FlagValues): string | undefined {
  const flags = Object.keys(own);
  const byOption = flags.find((flag) => fieldOfFlag(flag) === error.option);
  if (byOption !== undefined) return byOption;
  const field = firstFieldNamed(error.message, flags.map(fieldOfFlag));
  return flags.find((flag) => fieldOfFlag(flag) === field);
}

/**
 * The check, with the job's own options over the defaults. After an error the option at fault is set aside and the
 * rest checked again, so a line learns all its mistakes at once. Jobs with the same options share one check: big
 * batches mostly differ in the prompt only.
 */
export function imageCheck(defaults: ImageDefaults): ImageCheck {
  const results = new Map<string, ImageCheckResult>();
  const check = (own: FlagValues): ImageArgs => {
    const nameOf: NameOf = (flag) => (own[flag] !== undefined ? fieldOfFlag(flag) : defaults.nameOf(flag));
    return imageArgs({ ...inheritedDefaults(defaults.image, own), ...own }, defaults.base.backend, defaults.base.stream, nameOf);
  };
  const checkAll = (own: FlagValues): ImageCheckResult => {
    const errors: UsageError[] = [];
    const rest = { ...own };
    for (;;) {
      try {
        return { args: check(rest), errors };
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        errors.push(error);
        const flag = culprit(error, rest);
        if (flag === undefined) return { args: undefined, errors };
        delete rest[flag];
      }
    }
  };
  return (own) => {
    const key = JSON.stringify(own);
    let result = results.get(key);
    if (result === undefined) {
      result = checkAll(own);
      results.set(key, result);
    }
    return result;
  };
}
