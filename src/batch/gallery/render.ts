/** The batch gallery: one self-contained HTML page (inline CSS, no scripts) of the jobs' images, prompts and errors. */
import { basename, sep } from "node:path";
import type { ManifestImage, ManifestRecord } from "../manifest.js";
import type { RequestedOptions } from "../../result.js";

const STYLE = `
:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.4}
body{margin:0;padding:16px;background:Canvas;color:CanvasText}
header{margin:0 0 16px}
h1{font-size:1.25rem;margin:0 0 4px;overflow-wrap:anywhere}
header p{margin:0;opacity:.8}
main{display:grid;gap:16px;grid-template-columns:repeat(auto-fill,minmax(min(100%,240px),1fr))}
article{border:1px solid #8886;border-radius:8px;overflow:hidden;display:flex;flex-direction:column;min-width:0}
article.failed{border-color:#d33}
.thumb{display:block;background:repeating-conic-gradient(#8883 0 25%,transparent 0 50%) 0 0/16px 16px}
.thumb img{display:block;width:100%;height:auto;max-height:360px;object-fit:contain}
.prompt{margin:8px 12px 4px;white-space:pre-wrap;overflow-wrap:anywhere}
.error{margin:8px 12px 0;padding:8px;border-radius:4px;background:#d331;color:#b00;white-space:pre-wrap;overflow-wrap:anywhere}
.mismatch{margin:8px 12px 0;padding:6px 8px;border-left:4px solid #c80;background:#c801;overflow-wrap:anywhere;font-size:.85rem}
@media (prefers-color-scheme:dark){.error{color:#f88}}
dl{display:grid;grid-template-columns:auto 1fr;gap:2px 8px;margin:4px 12px 12px;font-size:.8rem}
dt{opacity:.7}
dd{margin:0;overflow-wrap:anywhere;font-variant-numeric:tabular-nums}
`;

/** Nothing in the page may load from the network or run: images from beside it only, no scripts at all. */
const CSP = "default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** A link relative to the page, so the folder can be moved or served as it is (images outside it: by file name). */
function href(dir: string, path: string): string {
  const prefix = dir.endsWith(sep) ? dir : `${dir}${sep}`;
  const parts = path.startsWith(prefix) ? path.slice(prefix.length).split(sep) : [basename(path)];
  return parts.map(encodeURIComponent).join("/");
}

function localTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** The values the job asked for, e.g. "1536x1024 · high · webp"; undefined when it left everything to the backend. */
function asked(requested: RequestedOptions | undefined): string | undefined {
  const values = [requested?.size, requested?.quality, requested?.output_format].filter((value) => value !== null && value !== undefined);
  return values.length > 0 ? values.join(" · ") : undefined;
}

function details(record: ManifestRecord, image: ManifestImage | undefined): string {
  const rows: Array<[string, string | null | undefined]> = [
    ["size", image?.size],
    ["asked for", asked(record.requested)],
    ["quality", image?.quality],
    ["model", record.model],
    ["time", `${localTime(record.finished_at)} (${(record.elapsed_ms / 1000).toFixed(1)} s)`],
    ["request", image?.request_id ?? record.request_ids[0]],
    ["job", record.id],
  ];
  return `<dl>${rows
    .filter(([, value]) => value !== null && value !== undefined && value !== "")
    .map(([name, value]) => `<dt>${name}</dt><dd>${escapeHtml(value as string)}</dd>`)
    .join("")}</dl>`;
}

/** Each way the image differs from the request, in words (a mismatch is never shown by colour alone). */
function mismatches(record: ManifestRecord, index: number | undefined): string {
  return (record.warnings ?? [])
    .filter((warning) => warning.image_index === index)
    .map((warning) => `<p class="mismatch"><strong>⚠ not as asked</strong>: ${escapeHtml(warning.message)}</p>`)
    .join("");
}

/**
 * Gives each card an id attribute of its own, safe in URLs and CSS selectors: `job-<id>` for a job's first card,
 * `job-<id>-<k>` for its k-th image; other characters become `_`, and a name already given gets `_2`, `_3`, ...
 */
class CardIds {
  readonly #given = new Set<string>();

  next(jobId: string, imageIndex: number): string {
    const stem = `job-${jobId.replace(/[^A-Za-z0-9_-]/g, "_")}${imageIndex > 0 ? `-${imageIndex + 1}` : ""}`;
    let id = stem;
    for (let k = 2; this.#given.has(id); k += 1) id = `${stem}_${k}`;
    this.#given.add(id);
    return id;
  }
}

/** `index`: the image's place in `record.images`. */
function card(dir: string, record: ManifestRecord, image: ManifestImage | undefined, index: number | undefined, id: string): string {
  const [width, height] = (image?.size ?? "").split("x");
  const dimensions = width && height ? ` width="${escapeHtml(width)}" height="${escapeHtml(height)}"` : "";
  const link = image ? href(dir, image.path) : "";
  const thumb = image ? `<a class="thumb" href="${escapeHtml(link)}"><img src="${escapeHtml(link)}" loading="lazy" decoding="async" alt=""${dimensions}></a>` : "";
  const error = record.error ? `<p class="error"><strong>failed</strong> (${escapeHtml(record.error.code)}): ${escapeHtml(record.error.message)}</p>` : "";
  return `<article class="${record.status}" id="${id}">${thumb}${error}${mismatches(record, index)}<p class="prompt">${escapeHtml(record.prompt)}</p>${details(record, image)}</article>`;
}

export interface GalleryPage {
  /** The batch output directory the page lives in. */
  dir: string;
  records: Iterable<ManifestRecord>;
  now?: Date;
}

/**
 * The page in pieces (so a gallery of thousands of jobs is written without building it whole): one card per saved
 * image, in the batch file's order; a failed job also shows its error (on a card of its own when it saved nothing).
 */
export function* galleryParts(page: GalleryPage): Generator<string> {
  // In the batch file's order, whatever order the jobs finished in.
  const records = [...page.records].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  const done = records.filter((record) => record.status === "done").length;
  const images = records.reduce((sum, record) => sum + record.images.length, 0);
  const title = `codex-imagen batch: ${basename(page.dir)}`;
  const summary = `${images} image${images === 1 ? "" : "s"} · ${done} done · ${records.length - done} failed · updated ${localTime((page.now ?? new Date()).toISOString())}`;
  yield `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(summary)}</p></header>
<main>
`;
  const ids = new CardIds();
  for (const record of records) {
    if (record.images.length === 0) yield `${card(page.dir, record, undefined, undefined, ids.next(record.id, 0))}\n`;
    for (const [index, image] of record.images.entries()) yield `${card(page.dir, record, image, index, ids.next(record.id, index))}\n`;
  }
  yield `</main>
</body>
</html>
`;
}

export function renderGallery(page: GalleryPage): string {
  return [...galleryParts(page)].join("");
}
