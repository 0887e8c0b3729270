/**
 * Fields of data we do not control (credential files, backend answers), read tolerantly: a field that
 * is missing, null or malformed reads as undefined instead of failing the whole document.
 * zod/mini, not classic zod: classic zod costs ~40 ms of every start that reads a credential (bench/run.ts).
 */
import * as z from "zod/mini";

export const tolerant = <T extends z.ZodMiniType>(schema: T) => z.catch(z.optional(schema), undefined);

/** Also accepts an explicit null (read as null). */
export const tolerantNullish = <T extends z.ZodMiniType>(schema: T) => z.catch(z.nullish(schema), undefined);

export const nonEmptyString = z.string().check(z.minLength(1));

/** A non-empty string, or undefined. */
export const optionalText = tolerant(nonEmptyString);
