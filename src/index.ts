/** The library API: `generateImages()`, its option, event and result types, and the error classes. */
export { generateImages, type GenerateImagesControls } from "./library/generate-images.js";
export type { GenerateImagesOptions } from "./library/options.js";
export type { AuthRefreshReport, GenerateResult, RateLimits, RateLimitWindow, RequestSummary, SavedImage } from "./result.js";
export type { ProgressEvent, ProgressListener } from "./progress.js";
export type { BackendName, ImageDetail, ImageFormat, RefreshMode } from "./options.js";
export {
  AuthError,
  BackendError,
  CodexImagenError,
  InvalidImageError,
  IoError,
  PolicyError,
  RateLimitError,
  TimeoutError,
  UsageError,
  type ErrorCode,
} from "./errors.js";
export { VERSION } from "./version.js";
