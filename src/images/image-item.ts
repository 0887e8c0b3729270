/**
 * Where an image's decoded bytes go while they stream in, instead of being held: a temp file beside its destination,
 * handed out by the saver. Every spool is saved or discarded; the saver removes those it never got back.
 */
export interface ImageSpool {
  /** Takes the next piece; the spool owns it from now on. */
  write(slab: Buffer): void;
  /** The image was abandoned (bad base64, a cut stream): its bytes are thrown away. */
  discard(): void;
}

/** Decoded image bytes, exactly as the backend sent them: in the pieces they were decoded into (never joined), or spooled. */
export type ImageBytes = readonly Buffer[] | ImageSpool;

/** One image (final or a partial frame) as decoded from the backend, before it is saved. */
export interface ImageItem {
  /** Backend call id (`image_generation_call` item id); untrusted, sanitised before use in names. */
  callId: string;
  data: ImageBytes;
  /** Set for streamed partial frames (`partial_image_index`). */
  partialIndex?: number;
  status?: string;
  revisedPrompt?: string;
  /** Declared `output_format`, e.g. "png"; the saved type is what the bytes really are. */
  outputFormat?: string;
  size?: string;
  quality?: string;
  background?: string;
}

/** A reference image ready for the request: a data URL for local files, or a remote URL as given. */
export interface PreparedReference {
  imageUrl: string;
  /** What the user typed, for error messages. */
  label: string;
}
