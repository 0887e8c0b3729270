/** One result: the image (and its "unmasked pixels kept" copy), what to do with it, and what was asked next to what came back. */
import type { ResultWarning } from "../../../result.js";
import type { PageImage, PageRun } from "../../protocol.js";
import { copyImage, download, editThis, reuseSettings, useAsReference } from "../actions/results.js";
import { fullView } from "../state.js";
import { LibraryImage } from "./library-image.js";

export interface ResultCardProps {
  /** The run's library record; null while the run is still going (then "Edit this" waits for it). */
  run: PageRun | null;
  image: PageImage;
  /** The image's index in `run.images`. */
  index: number;
  /** 1-based number shown to people. */
  number: number;
  prompt: string;
  composite: PageImage | null;
  compositeNote: string | null;
}

/** What was sent (after the server's defaults and an aspect ratio's mapping), else what the page asked. */
function asked(run: PageRun, field: "size" | "quality" | "output_format", fallback: string): string {
  const options = { size: run.options.size, quality: run.options.quality, output_format: run.options.format };
  return run.requested?.[field] ?? options[field] ?? fallback;
}

function formatOf(mime: string): string {
  return mime.replace("image/", "");
}

function Compared({ label, asked, got, warning }: { label: string; asked: string; got: string; warning: ResultWarning | undefined }) {
  return (
    <>
      <dt>{label}</dt>
      <dd class={warning === undefined ? undefined : "mismatch"}>
        {warning === undefined ? (
          <>
            {got} <span class="muted">(asked {asked})</span>
          </>
        ) : (
          <>
            <span aria-hidden="true">⚠ </span>
            <strong>Differs:</strong> asked {asked}, got {got}
          </>
        )}
      </dd>
    </>
  );
}

function tokens(usage: Record<string, unknown> | null): string | null {
  const total = usage?.total_tokens;
  return typeof total === "number" ? `${total.toLocaleString()} tokens` : null;
}

function Details({ run, image, index }: { run: PageRun; image: PageImage; index: number }) {
  const warning = (code: string) => run.warnings.find((entry) => entry.code === code && entry.image_index === index);
  const usage = tokens(run.usage);
  return (
    <details class="details">
      <summary>Details</summary>
      <dl>
        <dt>Prompt</dt>
        <dd>{run.prompt}</dd>
        {image.revised_prompt !== null && (
          <>
            <dt>Revised prompt</dt>
            <dd>{image.revised_prompt}</dd>
          </>
        )}
        <Compared label="Size" asked={asked(run, "size", "auto")} got={`${image.width ?? "?"}x${image.height ?? "?"}`} warning={warning("size_mismatch")} />
        <Compared label="Quality" asked={asked(run, "quality", "auto")} got={image.quality ?? "not reported"} warning={warning("quality_mismatch")} />
        <Compared label="Format" asked={asked(run, "output_format", "png")} got={formatOf(image.mime)} warning={warning("format_mismatch")} />
        <dt>Model</dt>
        <dd>
          {run.requested?.image_model ?? run.options.image_model ?? "the backend's default image model"}
          {run.model !== null && <span class="muted"> via {run.model}</span>}
          {run.backend !== null && <span class="muted"> ({run.backend} backend)</span>}
        </dd>
        {usage !== null && (
          <>
            <dt>Usage</dt>
            <dd>{usage}</dd>
          </>
        )}
        <dt>Time</dt>
        <dd>
          {new Date(run.time).toLocaleString()} · {(run.elapsed_ms / 1000).toFixed(1)} s
        </dd>
        {run.request_ids.length > 0 && (
          <>
            <dt>{run.request_ids.length === 1 ? "Request id" : "Request ids"}</dt>
            <dd class="mono">{run.request_ids.join(", ")}</dd>
          </>
        )}
      </dl>
    </details>
  );
}

export function ResultCard({ run, image, index, number, prompt, composite, compositeNote }: ResultCardProps) {
  const label = `Result ${number}`;
  const mismatch = run?.warnings.some((entry) => entry.image_index === index) ?? false;
  const shownImages: Array<[PageImage, string, string]> = composite === null ? [[image, `${label}: ${prompt}`, ""]] : [
    [composite, `${label}, unmasked pixels kept: ${prompt}`, "Unmasked pixels kept"],
    [image, `${label}, raw: ${prompt}`, "Raw result"],
  ];
  return (
    <article class="card" aria-label={label}>
      <div class={`card-images${composite === null ? "" : " pair"}`}>
        {shownImages.map(([shownImage, alt, caption]) => (
          <figure key={shownImage.path}>
            <button type="button" class="image-button" onClick={() => (fullView.value = { image: shownImage, label: alt })} aria-label={`Full view: ${alt}`}>
              <LibraryImage url={shownImage.url} alt={alt} width={shownImage.width} height={shownImage.height} />
            </button>
            {caption !== "" && <figcaption>{caption}</figcaption>}
          </figure>
        ))}
      </div>
      {compositeNote !== null && <p class="hint">{compositeNote}</p>}
      <p class="card-line">
        {image.width}x{image.height} · {formatOf(image.mime)}
        {mismatch && <span class="mismatch-flag"> · ⚠ not what was asked (see Details)</span>}
      </p>
      <div class="card-actions">
        <button type="button" disabled={run === null} onClick={() => run !== null && void editThis(run, image, index)}>
          Edit this
        </button>
        <button type="button" onClick={() => useAsReference(composite ?? image, label)}>
          Use as reference
        </button>
        <button type="button" onClick={() => void download(composite ?? image)}>
          Download
        </button>
        <button type="button" onClick={() => void copyImage(composite ?? image)}>
          Copy image
        </button>
        <button type="button" disabled={run === null} onClick={() => run !== null && reuseSettings(run)}>
          Reuse settings
        </button>
      </div>
      {run !== null && <Details run={run} image={image} index={index} />}
    </article>
  );
}
