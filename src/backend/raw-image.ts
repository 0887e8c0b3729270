/** An image as the backend sent it, before it is decoded and saved: the type the event parser and the stream scanner share. */
import type { ImageBytes } from "../images/image-item.js";

export interface RawImage {
  callId: string;
  /** Base64 image bytes as sent; decoded once, by the saver. A placeholder when `lifted` is set. */
  b64: string;
  /** The value the stream reader lifted out of the event (decoded as it arrived, or skipped). */
  lifted?: LiftedImage;
  revisedPrompt?: string;
  outputFormat?: string;
  size?: string;
  quality?: string;
  background?: string;
}

/** A base64 image value lifted out of the JSON; its place in the text holds a placeholder. */
export interface LiftedImage {
  /** `length:head:tail` of the base64 text, as `textFingerprint` gives for a plain string. */
  readonly fingerprint: string;
  /** The decoded bytes (in slabs, or spooled); throws InvalidImageError, naming `label`, for bad base64. */
  bytes(label: string): ImageBytes;
}
