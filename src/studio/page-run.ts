/** The library's records as the page sees them: the same fields, plus the URLs the page loads each file from. */
import type { LibraryFile, LibraryImage, LibraryRun, StudioLibrary } from "./library/index.js";
import { FILES, type PageFile, type PageImage, type PageRun } from "./protocol.js";

export function libraryFileUrl(path: string): string {
  return `${FILES}/${path.split("/").map(encodeURIComponent).join("/")}`;
}

export function pageFile(file: LibraryFile): PageFile {
  return { ...file, url: libraryFileUrl(file.path) };
}

export async function pageImage(image: LibraryImage, library: StudioLibrary): Promise<PageImage> {
  const thumb = await library.thumbPathOf(image.path);
  return {
    ...pageFile(image),
    revised_prompt: image.revised_prompt,
    quality: image.quality,
    output_format: image.output_format,
    request_index: image.request_index,
    thumb_url: thumb === null ? null : libraryFileUrl(thumb),
  };
}

export async function pageRun(run: LibraryRun, library: StudioLibrary): Promise<PageRun> {
  return {
    id: run.id,
    time: run.time,
    kind: run.kind,
    prompt: run.prompt,
    options: run.options,
    references: run.references.map(pageFile),
    mask: run.mask === null ? null : pageFile(run.mask),
    parent: run.parent,
    images: await Promise.all(run.images.map((image) => pageImage(image, library))),
    composites: await Promise.all(run.composites.map(async ({ of, image }) => ({ of, image: await pageImage(image, library) }))),
    requested: run.requested,
    warnings: run.warnings,
    usage: run.usage,
    request_ids: run.request_ids,
    error: run.error,
    elapsed_ms: run.elapsed_ms ?? 0,
    model: run.model,
    backend: run.backend,
  };
}
