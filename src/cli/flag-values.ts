/** Checks for single flag values; each failure is a one-line UsageError naming the flag. */
import { UsageError } from "../errors.js";

export function positiveNumber(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`--${flag} must be a positive number, not "${text}".`);
  }
  return value;
}

export function integerInRange(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, not "${text}".`);
  }
  return value;
}

export function oneOf<T extends string>(flag: string, text: string | undefined, allowed: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if ((allowed as readonly string[]).includes(text)) return text as T;
  throw new UsageError(`--${flag} must be one of ${allowed.join(", ")}, not "${text}".`);
}
