/** OpenClaw (≥ 2026.6) refresh fences: placeholders it stores instead of the tokens while it refreshes. */

const FENCE_PREFIX = "openclaw-oauth-refresh-fence:";

export type Fence = "pending" | "failed";

/** `openclaw-oauth-refresh-fence:v1:<claim>:...`; `failed` after the claim id means the refresh failed for good. */
export function fenceOf(value: string | undefined): Fence | undefined {
  if (value === undefined || !value.startsWith(FENCE_PREFIX)) return undefined;
  const [, , ...rest] = value.slice(FENCE_PREFIX.length).split(":");
  return rest.includes("failed") ? "failed" : "pending";
}

/** The worse of the fences on a profile's access and refresh values. */
export function profileFence(...values: Array<string | undefined>): Fence | undefined {
  const fences = values.map(fenceOf);
  if (fences.includes("failed")) return "failed";
  return fences.includes("pending") ? "pending" : undefined;
}
