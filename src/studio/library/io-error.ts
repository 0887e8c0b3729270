import { IoError } from "../../errors.js";

const USUAL_FIX = "check that the studio library folder is writable and its disk has space, then try again";

/** An IoError for a failed file operation in the library: what failed, the system's code, and what to do. */
export function libraryIoError(what: string, error: unknown, fix = USUAL_FIX): IoError {
  // An IoError from below (the CLI's image writer) speaks of CLI flags: keep only its cause.
  const cause = error instanceof IoError && error.cause !== undefined ? error.cause : error;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? (cause instanceof Error ? cause.message : String(cause));
  return new IoError(`${what} (${code}); ${fix}.`, cause);
}
