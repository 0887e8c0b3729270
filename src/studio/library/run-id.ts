import { randomBytes } from "node:crypto";

/** `run_<yyyymmddThhmmssmmm>_<8 hex>` in UTC: sorts by time, and the random part keeps processes apart. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.Z]/g, "");
  return `run_${stamp}_${randomBytes(4).toString("hex")}`;
}
