/** What a result offers: continue it in a thread (or branch an earlier turn), use it as a reference, reuse its settings, download or copy it. */
import { batch } from "@preact/signals";
import type { PageImage, PageRun } from "../../protocol.js";
import { api } from "../api.js";
import { decodePixels } from "../canvas/pixels.js";
import { encodePng } from "../canvas/png.js";
import { fieldsOf } from "../form.js";
import { announcement, fields, formError, prompt, references, thread, type ThreadTurn } from "../state.js";
import { referenceOf, setReferences } from "./references.js";
import { describe } from "./failures.js";

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
  try {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(await api.file(image.url));
    link.download = fileName(image);
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  } catch (error) {
    announcement.value = `Could not download the image: ${describe(error)}`;
  }
}

/** The clipboard takes PNG everywhere: other types are converted on a canvas first. The item gets a promise, so the click's permission holds while the image loads. */
export async function copyImage(image: PageImage): Promise<void> {
  const png = api.file(image.url).then(async (blob) => {
    if (blob.type === "image/png") return blob;
    const pixels = await decodePixels(blob);
    return encodePng(pixels.width, pixels.height, new Uint8Array(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength));
  });
  try {
    await navigator.clipboard.write([new ClipboardItem({ "image/png": png })]);
    announcement.value = "Image copied to the clipboard.";
  } catch (error) {
    announcement.value = `Could not copy the image: ${describe(error)}`;
  }
}
