/** `generateImages()`: one run from library options, resolving to the `--json` result or rejecting with a CodexImagenError. */
import { useProxyFromEnv } from "../net/proxy.js";
import { CodexImagenError, TimeoutError, toCodexImagenError } from "../errors.js";
import { RunFailure, runGeneration } from "../run/generate.js";
import type { ProgressListener } from "../progress.js";
import type { GenerateResult } from "../result.js";
import { type GenerateImagesOptions, resolveOptions } from "./options.js";

export interface GenerateImagesControls {
  /** Aborting stops the run: it rejects with a CodexImagenError and keeps the images already saved. */
  signal?: AbortSignal;
  /** Progress: start, requests, partial frames, saved images, retries, warnings. */
  onEvent?: ProgressListener;
}

/** What the run sees when the caller aborts: a CodexImagenError, so callers handle one error type. */
export function abortError(reason: unknown): CodexImagenError {
  if (reason instanceof CodexImagenError) return reason;
  if (reason instanceof Error && reason.name === "TimeoutError") return new TimeoutError("The caller's AbortSignal timed out; nothing more will be saved.");
  return new CodexImagenError("backend", "Aborted by the caller's AbortSignal; nothing more will be saved.", { cause: reason });
}

/** The caller's signal, aborting with a CodexImagenError. */
export function linkedSignal(signal: AbortSignal | undefined): { signal: AbortSignal | undefined; dispose: () => void } {
  if (signal === undefined) return { signal: undefined, dispose: () => undefined };
  const controller = new AbortController();
  const forward = (): void => controller.abort(abortError(signal.reason));
  if (signal.aborted) forward();
  else signal.addEventListener("abort", forward, { once: true });
  return { signal: controller.signal, dispose: () => signal.removeEventListener("abort", forward) };
}

/**
 * Generates (or, with `references`, edits) images and saves them. Resolves to the same object
 * `--json` prints. Rejects with a CodexImagenError (stable `code`); when the run failed after
 * saving images, `error.result` lists them.
 */
export async function generateImages(options: GenerateImagesOptions, controls: GenerateImagesControls = {}): Promise<GenerateResult> {
  const { options: resolved, warnings } = resolveOptions(options);
  useProxyFromEnv(resolved.auth.env);
  const onEvent = controls.onEvent;
  for (const message of warnings) onEvent?.({ type: "warning", message });
  const { signal, dispose } = linkedSignal(controls.signal);
  try {
    return await runGeneration(resolved, { signal, onEvent });
  } catch (thrown) {
    // After an abort, requests that were never sent fail too; the abort is the cause to report.
    const error = signal?.aborted ? abortError(signal.reason) : toCodexImagenError(thrown instanceof RunFailure ? thrown.error : thrown);
    if (thrown instanceof RunFailure) error.result = thrown.result;
    throw error;
  } finally {
    dispose();
  }
}
