/**
 * Reading credential documents (files we do not control) field by field, tolerantly: a missing or
 * malformed field reads as undefined and never fails the document. Written by hand instead of with
 * zod because every start that reads a credential pays for it: importing zod/mini and building the
 * schemas took `--smoke` from 1.09x to 1.24x of `node -e 0` on Node 20 (bench/start.ts, 2026-12-02).
 */
import { isRecord } from "./stores/types.js";

export type JsonObject = Record<string, unknown>;

/** A non-empty string. */
export function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function finiteNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function object(value: unknown): JsonObject | undefined {
  return isRecord(value) ? value : undefined;
}

/** The strings of a list (anything else in it is dropped); [] for a non-list. */
export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** `{ [provider]: value }` maps, each value read by `read` (entries it cannot read are dropped). */
export function byProvider<T>(value: unknown, read: (entry: unknown) => T | undefined): Record<string, T> | undefined {
  const map = object(value);
  if (map === undefined) return undefined;
  const entries = Object.entries(map).map(([key, entry]) => [key, read(entry)] as const);
  return Object.fromEntries(entries.filter((pair): pair is readonly [string, T] => pair[1] !== undefined));
}
