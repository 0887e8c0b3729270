import { InvalidImageError } from "../../errors.js";
import { assertCompleteImage, sniffImage, typeName, type SniffResult } from "../../images/sniff.js";

/** The type of a complete PNG/JPEG/GIF/WebP image, or what is wrong with the bytes, worded for the uploader. */
export function checkImage(data: Uint8Array): { sniffed: SniffResult } | { problem: string } {
  const sniffed = sniffImage(data);
  if (sniffed === null) return { problem: data.length === 0 ? "is empty" : "is not a PNG, JPEG, GIF or WebP image" };
  try {
    assertCompleteImage(data, "");
  } catch (error) {
    if (!(error instanceof InvalidImageError)) throw error;
    return { problem: `is a ${typeName(sniffed.mime)} image that is cut short or damaged` };
  }
  return { sniffed };
}
