/** Checks for single option values; each failure is a one-line UsageError naming the option as its caller spells it. */
import { UsageError } from "../errors.js";

/** How a caller spells an option in messages: `--aspect-ratio` on the command line, `aspectRatio` in the library. */
export type NameOf = (flag: string) => string;

export const flagName: NameOf = (flag) => `--${flag}`;

export function positiveNumber(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`${name} must be a positive number, not "${text}".`, name);
  }
  return value;
}

export function integerInRange(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${name} must be a whole number from ${min} to ${max}, not "${text}".`, name);
  }
  return value;
}

export function oneOf<T extends string>(name: string, text: string | undefined, allowed: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if ((allowed as readonly string[]).includes(text)) return text as T;
  throw new UsageError(`${name} must be one of ${allowed.join(", ")}, not "${text}".`, name);
}
