/** The library API: `generateImages()`, `generateBatch()`, their option, event and result types, and the error classes. */
export { generateImages, type GenerateImagesControls } from "./library/generate-images.js";
export { generateBatch, type GenerateBatchControls, type GenerateBatchOptions } from "./batch/generate-batch.js";
export type { BatchJob } from "./batch/job.js";
export type { BatchEvent, BatchListener } from "./batch/events.js";
export type { BatchJobReport, BatchResult } from "./batch/summary.js";
export type { ManifestImage, ManifestRecord } from "./batch/manifest.js";
export { BatchInputError, type BatchProblem } from "./batch/validate.js";
export { BatchBusyError } from "./batch/out-dir-lock.js";
export type { GenerateImagesOptions } from "./library/options.js";
export type {
  AuthRefreshReport,
  GenerateResult,
  RateLimits,
  RateLimitWindow,
  RequestedOptions,
  RequestSummary,
  ResultWarning,
  ResultWarningCode,
  SavedImage,
  UsageLimits,
  UsageWindow,
} from "./result.js";
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
