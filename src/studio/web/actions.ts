/** What the page does: each user action, over the state (state.ts), the server (api.ts) and the canvas modules. */
import { batch } from "@preact/signals";
import type { PageFile, PageImage, PageRun, RunEvent } from "../protocol.js";
import { api, ApiError, apiKey } from "./api.js";
import { keepUnmasked as composite, whyNotComposited } from "./canvas/composite.js";
import { MaskModel, maskRgba } from "./canvas/mask.js";
import { encodePng } from "./canvas/png.js";
import { decodePixels, imageSize, thumbnail } from "./canvas/pixels.js";
import { checkForm, fieldsOf } from "./form.js";
import {
  account,
  announcement,
  fields,
  formError,
  history,
  keepUnmasked,
  mask,
  maskOpen,
  maskState,
  needsKey,
  now,
  prompt,
  references,
  session,
  shown,
  thread,
  type Reference,
  type ShownRun,
  type ThreadTurn,
  type Tile,
} from "./state.js";

const HISTORY_PAGE = 50;
let running: AbortController | null = null;
let keyCounter = 0;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A 401 means the server wants its API key: ask for it, and tell the caller. */
function keyMissing(error: unknown): boolean {
  if (error instanceof ApiError && error.status === 401) {
    apiKey.clear();
    needsKey.value = true;
    return true;
  }
  return false;
}

export async function start(): Promise<void> {
  try {
    session.value = await api.session();
  } catch (error) {
    if (!keyMissing(error)) formError.value = { message: `The studio's server did not answer: ${describe(error)}. Is codex-imagen studio still running?`, param: null };
    return;
  }
  needsKey.value = false;
  await Promise.all([loadHistory(), refreshAccount()]);
}

export function saveKey(key: string): Promise<void> {
  apiKey.set(key.trim());
  return start();
}

export async function refreshAccount(): Promise<void> {
  try {
    account.value = await api.account();
  } catch (error) {
    if (!keyMissing(error)) account.value = { login: null, login_error: { code: "network", message: describe(error) }, limits: null, limits_error: null };
  }
}

// ---- references and the mask ----

function setReferences(next: Reference[]): void {
  const first = next[0];
  batch(() => {
    references.value = next;
    // The mask belongs to the first reference's pixels: another first reference starts a blank one.
    if (mask.value !== null && mask.value.referenceKey !== first?.key) {
      mask.value = null;
      maskOpen.value = false;
    }
  });
}

function updateReference(key: string, change: Partial<Reference>): void {
  references.value = references.value.map((reference) => (reference.key === key ? { ...reference, ...change } : reference));
}

/** Files from the picker, a drop or a paste: each is uploaded into the library and shown at once. */
export async function addFiles(files: Iterable<File>): Promise<void> {
  const added = [...files].filter((file) => file.type.startsWith("image/") || file.type === "");
  if (added.length === 0) {
    formError.value = { message: "Only images can be references (PNG, JPEG, GIF or WebP).", param: "references" };
    return;
  }
  const items = added.map((file) => ({ file, reference: { key: `ref-${++keyCounter}`, name: file.name || "pasted image", file: null, error: null } satisfies Reference }));
  setReferences([...references.value, ...items.map((item) => item.reference)]);
  announcement.value = `Adding ${items.length} reference image${items.length === 1 ? "" : "s"}…`;
  await Promise.all(
    items.map(async ({ file, reference }) => {
      try {
        updateReference(reference.key, { file: await api.upload(file) });
      } catch (error) {
        if (!keyMissing(error)) updateReference(reference.key, { error: describe(error) });
      }
    }),
  );
  announcement.value = `${references.value.length} reference image${references.value.length === 1 ? "" : "s"}.`;
}

function referenceOf(file: PageFile, name: string): Reference {
  return { key: `ref-${++keyCounter}`, name, file, error: null };
}

export function moveReference(index: number, delta: -1 | 1): void {
  const next = [...references.value];
  const target = index + delta;
  if (target < 0 || target >= next.length) return;
  [next[index], next[target]] = [next[target] as Reference, next[index] as Reference];
  setReferences(next);
  announcement.value = `Moved to position ${target + 1}.`;
}

export function removeReference(index: number): void {
  setReferences(references.value.filter((_, i) => i !== index));
  announcement.value = "Reference removed.";
}

/** Opens the mask editor over the first reference, with a blank mask of its pixel size the first time. */
export async function openMask(): Promise<void> {
  const first = references.value[0];
  if (first?.file == null) return;
  if (mask.value?.referenceKey !== first.key) {
    const size = first.file.width !== null && first.file.height !== null ? { width: first.file.width, height: first.file.height } : await imageSize(await api.file(first.file.url));
    mask.value = { referenceKey: first.key, model: new MaskModel(size.width, size.height) };
    maskChanged();
  }
  maskOpen.value = !maskOpen.value;
}

export function maskChanged(): void {
  const model = mask.value?.model;
  maskState.value = { version: maskState.value.version + 1, canUndo: model?.canUndo ?? false, canRedo: model?.canRedo ?? false };
}

// ---- runs ----

function tiles(count: number): Tile[] {
  return Array.from({ length: count }, () => ({ preview: null, previews: 0, previewReceivedAt: null, images: [] }));
}

function updateShown(change: (run: ShownRun) => ShownRun): void {
  if (shown.value !== null) shown.value = change(shown.value);
}

function setTile(index: number, change: (tile: Tile) => Tile): void {
  updateShown((run) => ({ ...run, tiles: run.tiles.map((tile, i) => (i === index ? change(tile) : tile)) }));
}

function previewUrl(b64: string, mime: string): string {
  const bytes = Uint8Array.from(atob(b64), (char) => char.charCodeAt(0));
  return URL.createObjectURL(new Blob([bytes], { type: mime }));
}

function releasePreviews(run: ShownRun | null): void {
  for (const tile of run?.tiles ?? []) if (tile.preview !== null) URL.revokeObjectURL(tile.preview);
}

/** Thumbnails are drawn here, from the image the page already has, so the history never loads full-size files. */
async function storeThumb(image: PageImage): Promise<void> {
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
      updateShown((shownRun) => ({ ...shownRun, compositeNotes: { ...shownRun.compositeNotes, [index]: note } }));
      continue;
    }
    const resultPixels = await decodePixels(await api.file(image.url));
    const png = await encodePng(resultPixels.width, resultPixels.height, composite(referencePixels.data, resultPixels.data, coverage));
    const saved = await api.addComposite(run.id, index, png);
    void storeThumb(saved);
    updateShown((shownRun) => (shownRun.run?.id === run.id ? { ...shownRun, run: { ...run, composites: [...(shownRun.run?.composites ?? []), { of: index, image: saved }] } } : shownRun));
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
        if (tile.preview !== null) URL.revokeObjectURL(tile.preview);
        return { ...tile, preview: previewUrl(event.b64, event.mime), previews: tile.previews + 1, previewReceivedAt: event.received_at };
      });
      break;
    case "image":
      setTile(event.tile, (tile) => ({ ...tile, images: [...tile.images, event.image] }));
      void storeThumb(event.image);
      break;
    case "finished":
    case "failed":
      updateShown((run) => ({ ...run, run: event.run, status: event.type === "finished" ? "finished" : run.status === "stopped" ? "stopped" : "failed", error: event.type === "failed" ? event.error : null }));
      break;
  }
}

/** Generate (or edit, with references): checks the form, uploads the mask, then shows the run as it streams. */
export async function generate(): Promise<void> {
  if (running !== null) return;
  const text = prompt.value.trim();
  const refs = references.value;
  const editing = refs.length > 0;
  const checked = checkForm(fields.value, session.value?.backend === "mock" ? "mock" : session.value?.backend === "images" ? "images" : "responses", editing);
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
  const painted = editing && mask.value !== null && mask.value.referenceKey === refs[0]?.key && !mask.value.model.isEmpty() ? mask.value.model : null;
  const controller = new AbortController();
  running = controller;
  const count = checked.options.count ?? 1;
  const previous = shown.value;
  releasePreviews(previous);
  shown.value = { run: null, prompt: text, count, status: "running", startedAt: Date.now(), tiles: tiles(count), error: null, compositeNotes: {} };
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
    if (controller.signal.aborted) updateShown((run) => ({ ...run, status: "stopped", error: { code: "stopped", message: "Stopped. Images that had arrived are kept." } }));
    else if (!keyMissing(error)) updateShown((run) => ({ ...run, status: "failed", error: error instanceof ApiError ? error.error : { code: "network", message: `The run was cut off: ${describe(error)}` } }));
    if (error instanceof ApiError && error.error.param) formError.value = { message: error.message, param: error.error.param };
  } finally {
    clearInterval(ticker);
    running = null;
  }
  const finished = shown.value;
  announcement.value = finished?.status === "finished" ? `Finished: ${finished.run?.images.length ?? 0} image(s).` : (finished?.error?.message ?? "The run ended.");
  if (finished?.run != null && coverageAtStart !== null && keepUnmasked.value) await keepUnmaskedPixels(finished.run, coverageAtStart).catch((error: unknown) => (announcement.value = `Unmasked pixels were not kept: ${describe(error)}`));
  await Promise.all([loadHistory(), refreshAccount()]);
}

/** Stop: closing the request makes the server abort its upstream requests at once. */
export function stop(): void {
  running?.abort();
}

export function isRunning(): boolean {
  return running !== null;
}

// ---- results: continue, reuse, download, copy ----

/** On a narrow screen the results are below the form: bring them into view, where the previews will stream. */
function revealResults(): void {
  const results = document.getElementById("results");
  if (results !== null && results.getBoundingClientRect().top > window.innerHeight * 0.6) results.scrollIntoView({ block: "start" });
}

function focusPrompt(): void {
  document.getElementById("prompt")?.focus();
}

async function ancestors(run: PageRun): Promise<ThreadTurn[]> {
  const turns: ThreadTurn[] = [];
  let parent = run.parent;
  const seen = new Set([run.id]);
  while (parent !== null && !seen.has(parent.run) && turns.length < 50) {
    seen.add(parent.run);
    const before = await api.run(parent.run).catch(() => undefined);
    if (before === undefined) break;
    turns.unshift({ run: before, image: parent.image });
    parent = before.parent;
  }
  return turns;
}

/** "Edit this": the image becomes the first (only) reference, and the next prompt continues its thread. */
export async function editThis(run: PageRun, image: PageImage, index: number): Promise<void> {
  const turns = [...(await ancestors(run)), { run, image: index }];
  batch(() => {
    thread.value = turns;
    setReferences([referenceOf(image, `Result ${index + 1}`)]);
    prompt.value = "";
    formError.value = null;
  });
  announcement.value = `Editing result ${index + 1}. Turn ${turns.length + 1} of the thread: describe the change.`;
  focusPrompt();
}

/** Continue from an earlier turn instead: a new branch of the thread. */
export function branchFrom(turn: number): void {
  const turns = thread.value.slice(0, turn + 1);
  const last = turns.at(-1);
  if (last === undefined) return;
  const image = last.run.images[last.image];
  if (image === undefined) return;
  batch(() => {
    thread.value = turns;
    setReferences([referenceOf(image, `Turn ${turn + 1}`)]);
  });
  announcement.value = `Branching from turn ${turn + 1}.`;
  focusPrompt();
}

export function endThread(): void {
  thread.value = [];
  announcement.value = "New thread: the next run starts from the prompt alone.";
}

export function useAsReference(image: PageImage, label: string): void {
  setReferences([...references.value, referenceOf(image, label)]);
  announcement.value = `${label} added as reference ${references.value.length}.`;
}

export function reuseSettings(run: PageRun): void {
  batch(() => {
    prompt.value = run.prompt;
    fields.value = fieldsOf(run.options);
    formError.value = null;
  });
  announcement.value = "Prompt and settings copied into the form.";
  focusPrompt();
}

function fileName(image: PageImage): string {
  return image.path.split("/").pop() ?? "image";
}

export async function download(image: PageImage): Promise<void> {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await api.file(image.url));
  link.download = fileName(image);
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

/** The clipboard takes PNG everywhere: other types are converted on a canvas first. */
export async function copyImage(image: PageImage): Promise<void> {
  try {
    let blob = await api.file(image.url);
    if (blob.type !== "image/png") {
      const pixels = await decodePixels(blob);
      blob = await encodePng(pixels.width, pixels.height, new Uint8Array(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength));
    }
    await navigator.clipboard.write([new ClipboardItem({ "image/png": blob })]);
    announcement.value = "Image copied to the clipboard.";
  } catch (error) {
    announcement.value = `Could not copy the image: ${describe(error)}`;
  }
}

// ---- history ----

export async function loadHistory(more = false): Promise<void> {
  const current = history.value;
  history.value = { ...current, loading: true, error: null };
  try {
    const page = await api.runs({ before: more ? current.next : null, query: current.query, limit: HISTORY_PAGE });
    history.value = { ...history.value, runs: more ? [...current.runs, ...page.runs] : page.runs, next: page.next, total: page.total, loading: false };
  } catch (error) {
    if (!keyMissing(error)) history.value = { ...history.value, loading: false, error: describe(error) };
  }
}

export function search(query: string): Promise<void> {
  history.value = { ...history.value, query };
  return loadHistory();
}

/** Shows a run of the history in the results. */
export function openRun(run: PageRun): void {
  releasePreviews(shown.value);
  shown.value = {
    run,
    prompt: run.prompt,
    count: run.images.length,
    status: run.error === null ? "finished" : run.error.code === "stopped" ? "stopped" : "failed",
    startedAt: Date.parse(run.time),
    tiles: run.images.map((image) => ({ preview: null, previews: 0, previewReceivedAt: null, images: [image] })),
    error: run.error,
    compositeNotes: {},
  };
  announcement.value = `Showing the run "${run.prompt.slice(0, 60)}".`;
  document.getElementById("results")?.focus();
}

export async function deleteRun(run: PageRun): Promise<void> {
  try {
    await api.deleteRun(run.id);
    if (shown.value?.run?.id === run.id) shown.value = null;
    announcement.value = "Run deleted (its files are in the library's trash folder).";
  } catch (error) {
    if (!keyMissing(error)) announcement.value = `Could not delete the run: ${describe(error)}`;
  }
  await loadHistory();
}
