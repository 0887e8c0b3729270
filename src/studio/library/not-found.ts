import { UsageError } from "../../errors.js";

/** A run or image the library does not have (never had, or deleted): the studio answers it with a 404. */
export class LibraryNotFoundError extends UsageError {}
