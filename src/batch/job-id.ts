/** Job ids: the `id` field, else a hash of the job's canonical JSON plus `-<k>` for the k-th identical job. */
import { createHash } from "node:crypto";

const HASH_DIGITS = 12;

/** The job's fields but `id`, keys sorted, so the same job gets the same id in JSONL, CSV or the library. */
export function canonicalJson(fields: Record<string, unknown>): string {
  const sorted = Object.keys(fields)
    .filter((key) => key !== "id" && fields[key] !== undefined)
    .sort()
    .map((key) => [key, fields[key]]);
  return JSON.stringify(Object.fromEntries(sorted));
}

/** Hands out `<12 hex digits>-<k>`: k counts identical jobs from 1, so no id is a prefix-plus-`-2` of another's files. */
export class JobIds {
  readonly #seen = new Map<string, number>();

  next(fields: Record<string, unknown>): string {
    const hash = createHash("sha256").update(canonicalJson(fields)).digest("hex").slice(0, HASH_DIGITS);
    const k = (this.#seen.get(hash) ?? 0) + 1;
    this.#seen.set(hash, k);
    return `${hash}-${k}`;
  }
}
