/** Reference images (picker, drop, paste, reorder, remove) and the mask painted over the first one. */
import { batch } from "@preact/signals";
import type { PageFile } from "../../protocol.js";
import { api } from "../api.js";
import { MaskModel } from "../canvas/mask.js";
import { imageSize } from "../canvas/pixels.js";
import { announcement, formError, mask, maskOpen, maskState, references, type Reference } from "../state.js";
import { describe, keyMissing } from "./failures.js";

let keyCounter = 0;

export function setReferences(next: Reference[]): void {
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

export function referenceOf(file: PageFile, name: string): Reference {
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
    try {
      const size = first.file.width !== null && first.file.height !== null ? { width: first.file.width, height: first.file.height } : await imageSize(await api.file(first.file.url));
      mask.value = { referenceKey: first.key, model: new MaskModel(size.width, size.height) };
    } catch (error) {
      formError.value = { message: `Image 1 could not be read for painting: ${describe(error)}`, param: "references" };
      return;
    }
    maskChanged();
  }
  maskOpen.value = !maskOpen.value;
}

export function maskChanged(): void {
  const model = mask.value?.model;
  maskState.value = { version: maskState.value.version + 1, canUndo: model?.canUndo ?? false, canRedo: model?.canRedo ?? false };
}
