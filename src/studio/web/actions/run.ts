/** Generate and Stop: the form checked, the mask uploaded, the run's events onto the screen, then thumbnails and "Keep unmasked pixels". */
import type { PageFile, PageImage, PageRun, RunEvent } from "../../protocol.js";
import { api, ApiError } from "../api.js";
import { keepUnmasked as composite, whyNotComposited } from "../canvas/composite.js";
import { maskRgba } from "../canvas/mask.js";
import { encodePng } from "../canvas/png.js";
import { decodePixels, thumbnail } from "../canvas/pixels.js";
import { checkForm, serverBackend, unavailable } from "../form.js";
import { announcement, fields, formError, keepUnmasked, live, mask, now, prompt, references, session, thread, viewed } from "../state.js";
import { loadHistory } from "./history.js";
import { describe, keyMissing } from "./failures.js";
import { refreshAccount } from "./session.js";
import { isRunning, setTile, tiles, updateLive, updateRun } from "./shown-run.js";

let stopper: AbortController | null = null;

/**
 * A blob URL of the frame: the browser decodes the image from bytes. A data: URL of several MB is slow to parse
 * as an <img> source, and decoding base64 character by character blocks the page; Uint8Array.fromBase64 does neither.
 */
const fromBase64 = (Uint8Array as { fromBase64?: (text: string) => Uint8Array<ArrayBuffer> }).fromBase64;

function previewUrl(b64: string, mime: string): string {
  return fromBase64 === undefined ? `data:${mime};base64,${b64}` : URL.createObjectURL(new Blob([fromBase64(b64)], { type: mime }));
}

function releasePreview(url: string | null): void {
  if (url?.startsWith("blob:")) URL.revokeObjectURL(url);
}

/** Thumbnails are drawn here, from the image the page already has, so the history never loads full-size files. */
export async function storeThumb(image: PageImage): Promise<void> {
  try {
    await api.saveThumb(image.path, await thumbnail(await api.file(image.url)));
  } catch {
    // The history then shows the image itself, lazily.
  }
}

/** "Keep unmasked pixels": the reference outside the painted area, each result inside it, saved next to the raw result. */
async function keepUnmaskedPixels(run: PageRun, coverage: Uint8Array): Promise<void> {
  const reference = run.references[0];
  if (reference === undefined) return;
  const referencePixels = await decodePixels(await api.file(reference.url));
  for (const [index, image] of run.images.entries()) {
    const note = whyNotComposited(referencePixels, { width: image.width ?? 0, height: image.height ?? 0 });
    if (note !== undefined) {
      updateRun(run.id, (shownRun) => ({ ...shownRun, compositeNotes: { ...shownRun.compositeNotes, [index]: note } }));
      continue;
    }
    const resultPixels = await decodePixels(await api.file(image.url));
    const png = await encodePng(resultPixels.width, resultPixels.height, composite(referencePixels.data, resultPixels.data, coverage));
    const saved = await api.addComposite(run.id, index, png);
    void storeThumb(saved);
    updateRun(run.id, (shownRun) => ({ ...shownRun, run: { ...run, composites: [...(shownRun.run?.composites ?? []), { of: index, image: saved }] } }));
  }
}

function handle(event: RunEvent): void {
  switch (event.type) {
    case "started":
      announcement.value = `Generating ${event.count} image${event.count === 1 ? "" : "s"}…`;
      break;
    case "partial":
      setTile(event.tile, (tile) => {
        if (tile.images.length > 0) return tile;
        releasePreview(tile.preview);
        return { ...tile, preview: previewUrl(event.b64, event.mime), previews: tile.previews + 1, previewReceivedAt: event.received_at };
      });
      break;
    case "image":
      setTile(event.tile, (tile) => {
        releasePreview(tile.preview);
        return { ...tile, preview: null, images: [...tile.images, event.image] };
      });
      void storeThumb(event.image);
      break;
    case "finished":
    case "failed":
      updateLive((run) => ({ ...run, run: event.run, status: event.type === "finished" ? "finished" : run.status === "stopped" ? "stopped" : "failed", error: event.type === "failed" ? event.error : null }));
      break;
  }
}

/** Generate (or edit, with references): checks the form, uploads the mask, then shows the run as it streams. */
export async function generate(): Promise<void> {
  if (isRunning()) return;
  const text = prompt.value.trim();
  const refs = references.value;
  const editing = refs.length > 0;
  const backend = serverBackend(session.value);
  const checked = checkForm(fields.value, backend, editing);
  if (text === "") {
    formError.value = { message: "Write a prompt first: what to draw, or how to change the references.", param: "prompt" };
    return;
  }
  if (checked.error !== null) {
    formError.value = checked.error;
    return;
  }
  if (refs.some((reference) => reference.file === null)) {
    formError.value = { message: "Wait until every reference image is uploaded (or remove the one that failed).", param: "references" };
    return;
  }
  formError.value = null;
  const painted = editing && !unavailable(backend).has("mask") && mask.value !== null && mask.value.referenceKey === refs[0]?.key && !mask.value.model.isEmpty() ? mask.value.model : null;
  const controller = new AbortController();
  stopper = controller;
  const count = checked.options.count ?? 1;
  viewed.value = null;
  for (const tile of live.value?.tiles ?? []) releasePreview(tile.preview);
  live.value = { run: null, prompt: text, count, status: "running", startedAt: Date.now(), tiles: tiles(count), error: null, compositeNotes: {} };
  revealResults();
  const ticker = setInterval(() => (now.value = Date.now()), 250);
  // The mask as it is now: painting on while the run goes must not change what the composite keeps.
  const coverageAtStart = painted?.coverage.slice() ?? null;
  try {
    const maskFile = painted === null ? null : await api.upload(await encodePng(painted.width, painted.height, maskRgba(painted.coverage)));
    const parent = thread.value.at(-1);
    for await (const event of api.startRun(
      {
        prompt: text,
        options: checked.options,
        references: refs.map((reference) => (reference.file as PageFile).path),
        mask: maskFile?.path ?? null,
        parent: parent === undefined ? null : { run: parent.run.id, image: parent.image },
      },
      controller.signal,
    )) {
      handle(event);
    }
  } catch (error) {
    if (controller.signal.aborted) updateLive((run) => ({ ...run, status: "stopped", error: { code: "stopped", message: "Stopped. Images that had arrived are kept." } }));
    else {
      keyMissing(error);
      updateLive((run) => ({ ...run, status: "failed", error: error instanceof ApiError ? error.error : { code: "network", message: `The run was cut off: ${describe(error)}` } }));
    }
    if (error instanceof ApiError && error.error.param) formError.value = { message: error.message, param: error.error.param };
  } finally {
    clearInterval(ticker);
    stopper = null;
    // A run that ended without its last event (cut off) is not left "running".
    updateLive((run) => (run.status === "running" ? { ...run, status: "failed", error: run.error ?? { code: "network", message: "The run ended without an answer; see the history for what was saved." } } : run));
  }
  const finished = live.value;
  announcement.value = finished?.status === "finished" ? `Finished: ${finished.run?.images.length ?? 0} image(s).` : (finished?.error?.message ?? "The run ended.");
  if (finished?.run != null && coverageAtStart !== null && keepUnmasked.value) await keepUnmaskedPixels(finished.run, coverageAtStart).catch((error: unknown) => (announcement.value = `Unmasked pixels were not kept: ${describe(error)}`));
  await Promise.all([loadHistory(), refreshAccount()]);
}

/** Stop: closing the request makes the server abort its upstream requests at once. */
export function stop(): void {
  stopper?.abort();
}

/** On a narrow screen the results are below the form: bring them into view, where the previews will stream. */
function revealResults(): void {
  const results = document.getElementById("results");
  if (results !== null && results.getBoundingClientRect().top > window.innerHeight * 0.6) results.scrollIntoView({ block: "start" });
}
