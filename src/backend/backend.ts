/** The one interface every image backend implements; the run loop knows nothing else about them. */
import type { Credential } from "../auth/credential.js";
import type { ImageItem, ImageSpool } from "../images/image-item.js";
import type { BackendName, ImageToolOptions } from "../options.js";
import type { ProgressListener } from "../progress.js";
import type { RateLimits } from "../result.js";

export interface AttemptContext {
  /** Absent for backends that need no login (mock). */
  credential: Credential | undefined;
  sessionId: string;
  /** Which of the run's `--count` requests this is (0-based). */
  requestIndex: number;
  attempt: number;
  signal: AbortSignal;
  /** Decodes, validates and saves one image; awaited so writing applies backpressure. */
  saveImage(item: ImageItem): Promise<void>;
  /** Where an image about to stream in can be decoded to (the saver's temp file), so no image is held whole; `saveImage` takes it back. */
  spoolImage?: () => ImageSpool;
  onProgress: ProgressListener;
}

/** What one attempt learned, kept even when it fails or times out. */
export interface AttemptRecord {
  requestId: string | null;
  finalImages: number;
  seenEventTypes: Set<string>;
  usage?: Record<string, unknown>;
  rateLimits?: RateLimits;
}

export interface ImageBackend {
  readonly name: BackendName;
  readonly endpoint: string;
  /** The model the run reports: the responses model, or the image model for the typed endpoints. */
  readonly model: string;
  readonly needsCredential: boolean;
  /** The image options this backend sends, after its own defaults (what a result reports as `requested`). */
  readonly sent: ImageToolOptions;
  /** Runs one request; throws a CodexImagenError (with `retryable` set for transient failures). */
  attempt(context: AttemptContext, record: AttemptRecord): Promise<void>;
}
