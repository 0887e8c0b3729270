/** Image size validation (spec §0 "Sizes"): usage errors for impossible sizes, a warning outside the published range. */
import { UsageError } from "../errors.js";

const MAX_SIDE = 3840;
const MAX_RATIO = 3;
const MIN_PIXELS = 655_360;
const MAX_PIXELS = 8_294_400;

export interface CheckedSize {
  /** `auto` or `WxH`. */
  value: string;
  warning?: string;
}

export function checkSize(text: string, name = "--size"): CheckedSize {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "auto") return { value: "auto" };
  const match = /^(\d+)x(\d+)$/.exec(trimmed);
  if (!match) throw new UsageError(`${name} must be WxH (e.g. 1024x1024) or auto, not "${text}".`, name);
  const width = Number(match[1]);
  const height = Number(match[2]);
  if (width === 0 || height === 0 || width % 16 !== 0 || height % 16 !== 0) {
    throw new UsageError(`${name} ${trimmed}: both sides must be positive multiples of 16 (e.g. 1024x1024, 1536x1024).`, name);
  }
  if (Math.max(width, height) > MAX_SIDE) {
    throw new UsageError(`${name} ${trimmed}: the longest side may be at most ${MAX_SIDE} pixels.`, name);
  }
  if (Math.max(width, height) > MAX_RATIO * Math.min(width, height)) {
    throw new UsageError(`${name} ${trimmed}: the long side may be at most ${MAX_RATIO} times the short side.`, name);
  }
  const value = `${width}x${height}`;
  const pixels = width * height;
  if (pixels < MIN_PIXELS || pixels > MAX_PIXELS) {
    return {
      value,
      warning: `${name} ${value} has ${pixels} pixels, outside the published gpt-image-2 range (${MIN_PIXELS}–${MAX_PIXELS}); sending it anyway.`,
    };
  }
  return { value };
}

const ASPECT_SHORT_SIDE = 1024;

/** `--aspect-ratio W:H` → a size of that ratio with a 1024-pixel short side, sides multiples of 16. */
export function sizeForAspectRatio(text: string, name = "--aspect-ratio"): string {
  const match = /^\s*(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  if (!match || !(width > 0) || !(height > 0)) {
    throw new UsageError(`${name} must be W:H with positive numbers (e.g. 16:9), not "${text}".`, name);
  }
  const ratio = Math.max(width, height) / Math.min(width, height);
  if (ratio > MAX_RATIO) throw new UsageError(`${name} ${text}: the long side may be at most ${MAX_RATIO} times the short side.`, name);
  const long = Math.round((ASPECT_SHORT_SIDE * ratio) / 16) * 16;
  return width >= height ? `${long}x${ASPECT_SHORT_SIDE}` : `${ASPECT_SHORT_SIDE}x${long}`;
}
