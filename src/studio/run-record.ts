/** What one run of the page leaves in library.jsonl: its request, its inputs, and what came back. */
import { relative, sep } from "node:path";
import type { GenerateResult, SavedImage } from "../result.js";
import type { LibraryFile, LibraryImage, RunRecord, StudioLibrary } from "./library/index.js";
import type { PageError, RunRequest } from "./protocol.js";

function libraryPath(library: StudioLibrary, absolute: string): string {
  return relative(library.dir, absolute).split(sep).join("/");
}

/** A saved image as the library records it (its path relative to the library folder). */
export function libraryImage(library: StudioLibrary, image: SavedImage): LibraryImage {
  return {
    path: libraryPath(library, image.path),
    sha256: image.sha256,
    mime: image.mime as LibraryImage["mime"],
    width: image.width,
    height: image.height,
    bytes: image.bytes,
    revised_prompt: image.revised_prompt,
    quality: image.quality,
    output_format: image.output_format,
    request_index: image.request_index,
  };
}

export interface RunOutcome {
  id: string;
  /** When the run started (ms since the epoch). */
  started: number;
  request: RunRequest;
  references: LibraryFile[];
  mask: LibraryFile | null;
  /** What the run saved, also when it failed after saving some. */
  result: GenerateResult | undefined;
  error: PageError | null;
}

export function runRecord(library: StudioLibrary, outcome: RunOutcome): RunRecord {
  const { result, request } = outcome;
  // The result lists the previews too; the library keeps final images only, and its warnings point at those.
  const finals = (result?.images ?? []).flatMap((image, at) => (image.partial ? [] : [{ image, at }]));
  return {
    id: outcome.id,
    time: new Date(outcome.started).toISOString(),
    kind: outcome.references.length > 0 ? "edit" : "generate",
    prompt: request.prompt,
    options: request.options,
    references: outcome.references,
    mask: outcome.mask,
    parent: request.parent,
    images: finals.map(({ image }) => libraryImage(library, image)),
    warnings: (result?.warnings ?? []).map((warning) => (warning.image_index === undefined ? warning : { ...warning, image_index: finals.findIndex(({ at }) => at === warning.image_index) })),
    usage: result?.usage ?? null,
    request_ids: (result?.requests ?? []).flatMap((summary) => (summary.request_id === null ? [] : [summary.request_id])),
    error: outcome.error === null ? null : { code: outcome.error.code, message: outcome.error.message },
    elapsed_ms: Date.now() - outcome.started,
    requested: result?.requested ?? null,
    model: result?.model ?? null,
    backend: result?.backend ?? null,
  };
}
