import { InvalidImageError } from "../errors.js";

// Including "=" in the class is ~5x faster in V8 than leaving it out; its position is checked apart.
const NOT_BASE64 = /[^A-Za-z0-9+/=]/;

/**
 * Decodes standard base64 (padding optional), rejecting anything else; Node's own decoder
 * silently skips invalid characters, which would turn garbage into a "valid" short image.
 */
export function decodeBase64Strict(text: string, label: string): Buffer {
  const problem = base64Problem(text);
  if (problem !== null) {
    throw new InvalidImageError(
      `${label} is not valid base64 image data: ${problem}. It was not saved; run the command again.`,
    );
  }
  return Buffer.from(text, "base64");
}

/** Why `text` is not strict base64, or null when it is. Linear: one regex scan, no copies. */
export function base64Problem(text: string): string | null {
  let body = text.length;
  if (text.endsWith("==")) body -= 2;
  else if (text.endsWith("=")) body -= 1;
  if (body === 0) return "it is empty";
  const padded = body !== text.length;
  if (body % 4 === 1 || (padded && text.length % 4 !== 0)) return `it has a bad length (${text.length} characters)`;
  if (NOT_BASE64.test(text)) return "it contains characters outside the base64 alphabet";
  const firstPad = text.indexOf("=");
  if (firstPad !== -1 && firstPad < body) return `it has "=" padding in the middle (at character ${firstPad + 1})`;
  return null;
}
