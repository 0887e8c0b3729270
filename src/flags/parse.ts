/** parseArgs with errors a user can act on: one-line usage errors that name the flag (and the one probably meant). */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "../errors.js";
import { closestName } from "../validate/closest-name.js";

/** parseArgs, with its errors turned into one-line usage errors that name the flag. */
export function parseFlags(config: ParseArgsConfig, argv: string[]): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({ ...config, args: argv });
  } catch (error) {
    throw explainParseError(error, Object.keys(config.options ?? {}));
  }
}

function explainParseError(error: unknown, names: string[]): UsageError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const flag = /'(-[^' ]+)/.exec(message)?.[1] ?? "";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const closest = flag.startsWith("--") ? closestName(flag.slice(2), names) : undefined;
    return new UsageError(`Unknown flag ${flag}${closest === undefined ? "." : `; did you mean --${closest}?`} Run --help for the list of flags.`);
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    if (message.includes("argument missing")) return new UsageError(`${flag} needs a value, e.g. ${flag}=VALUE.`);
    if (message.includes("ambiguous")) return new UsageError(`${flag} needs a value; to pass one starting with "-", write ${flag}=VALUE.`);
    return new UsageError(`${flag} takes no value.`);
  }
  return new UsageError(message);
}
