/**
 * Editing in the studio, in a real browser: references by paste and drop, "Edit this" and the thread, a painted
 * mask as the backend receives it, and "Keep unmasked pixels" (the composite's pixels checked against the reference).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { encodePng } from "../../src/images/png.js";
import { launchChromium } from "../support/chromium.js";
import type { RecordedRequest } from "../support/fake-backend.js";
import { decodePng } from "../support/png-decode.js";
import { noisyPng } from "../support/noisy-png.js";
import { inPage, openStudio, setupStudio } from "../support/studio-fixture.js";

interface ResponsesBody {
  input: Array<{ content: Array<{ type: string; image_url?: string; text?: string }> }>;
  tools: Array<{ input_image_mask?: { image_url: string } }>;
}

function bodyOf(request: RecordedRequest | undefined): ResponsesBody {
  assert.ok(request !== undefined, "the backend got the request");
  return request.body as ResponsesBody;
}

function dataUrlBytes(url: string | undefined): Buffer {
  const match = /^data:image\/[a-z]+;base64,(.+)$/.exec(url ?? "");
  assert.ok(match, `a data URL, not ${url?.slice(0, 40)}`);
  return Buffer.from(match[1] as string, "base64");
}

function referenceImages(request: RecordedRequest | undefined): Buffer[] {
  return bodyOf(request).input[0]?.content.filter((part) => part.type === "input_image").map((part) => dataUrlBytes(part.image_url)) ?? [];
}

/** An RGB PNG of `width`x`height` noise as an RGBA PNG (so pixels compare byte for byte after decoding). */
function rgbaNoise(width: number, height: number, seed: number): Buffer {
  const rgb = decodePng(noisyPng(Math.max(width, height), seed));
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) pixels.set(rgb.data.subarray(y * rgb.width * 4, (y * rgb.width + width) * 4), y * width * 4);
  for (let i = 3; i < pixels.length; i += 4) pixels[i] = 255;
  return encodePng(width, height, pixels);
}

/** Puts a file into the page as the clipboard or a drop would hand it over (the page's code as text: the type checker here knows Node, not the DOM). */
async function handOver(page: Page, how: "paste" | "drop", bytes: Buffer, name: string): Promise<void> {
  await page.evaluate(`(() => {
    const data = Uint8Array.from(atob(${JSON.stringify(bytes.toString("base64"))}), (char) => char.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([data], ${JSON.stringify(name)}, { type: "image/png" }));
    const target = document.querySelector("main");
    const init = { bubbles: true, cancelable: true };
    if (${JSON.stringify(how)} === "paste") target.dispatchEvent(new ClipboardEvent("paste", { ...init, clipboardData: transfer }));
    else {
      target.dispatchEvent(new DragEvent("dragover", { ...init, dataTransfer: transfer }));
      target.dispatchEvent(new DragEvent("drop", { ...init, dataTransfer: transfer }));
    }
  })()`);
}

test("paste and drop add references in order; Image 1 goes first to the backend", { timeout: 120_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (browser === undefined) return;
  const studio = await setupStudio(t);
  const { page, assertClean } = await openStudio(browser, studio.server);
  const pasted = rgbaNoise(40, 30, 1);
  const dropped = rgbaNoise(30, 40, 2);
  await handOver(page, "paste", pasted, "pasted.png");
  await page.getByRole("img", { name: "Image 1: pasted.png" }).waitFor();
  await handOver(page, "drop", dropped, "dropped.png");
  await page.getByRole("img", { name: "Image 2: dropped.png" }).waitFor();
  await page.getByRole("button", { name: "Move Image 2 earlier" }).click();
  await page.getByRole("img", { name: "Image 1: dropped.png" }).waitFor();

  await page.getByRole("textbox", { name: "Prompt", exact: true }).fill("combine Image 1 and Image 2");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await page.getByRole("img", { name: /^Result 1: combine/ }).waitFor();
  const sent = referenceImages(studio.backend.generations[0]);
  assert.deepEqual(sent, [dropped, pasted], "the references went in the order shown, byte for byte");
  const [line] = studio.libraryLines();
  assert.equal(line?.type === "run" && line.kind, "edit");
  assert.equal(line?.type === "run" && line.references.length, 2);
  assertClean();
});

test("Edit this: the image becomes Image 1 of the next run, the thread shows the turns, and an earlier turn can be branched", { timeout: 120_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (browser === undefined) return;
  const studio = await setupStudio(t);
  const { page, assertClean } = await openStudio(browser, studio.server);
  const prompt = page.getByRole("textbox", { name: "Prompt", exact: true });
  await prompt.fill("a red bicycle");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  const results = page.getByRole("region", { name: "Results" });
  await results.getByRole("img", { name: /^Result 1: a red bicycle/ }).waitFor();
  const [firstRun] = studio.libraryLines();
  assert.ok(firstRun?.type === "run");
  const firstImage = readFileSync(join(studio.libraryDir, firstRun.images[0]?.path ?? ""));

  await results.getByRole("button", { name: "Edit this" }).click();
  await page.getByRole("navigation", { name: "Thread" }).getByText("Turn 1: a red bicycle").waitFor();
  assert.equal(await inPage(page, "document.activeElement?.id"), "prompt", "the prompt has the focus");
  await prompt.fill("make it blue");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await results.getByRole("img", { name: /^Result 1: make it blue/ }).waitFor();
  assert.deepEqual(referenceImages(studio.backend.generations[1]), [firstImage], "the edited image went as Image 1");
  const secondRun = studio.libraryLines()[1];
  assert.ok(secondRun?.type === "run");
  assert.deepEqual(secondRun.parent, { run: firstRun.id, image: 0 });

  await results.getByRole("button", { name: "Edit this" }).click();
  const thread = page.getByRole("navigation", { name: "Thread" });
  await thread.getByText("Turn 2: make it blue").waitFor();
  await thread.getByText("Turn 1: a red bicycle").waitFor();
  await thread.getByRole("button", { name: "Branch from here" }).first().click();
  await thread.getByText("Turn 2: make it blue").waitFor({ state: "detached" });
  await prompt.fill("make it green");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await results.getByRole("img", { name: /^Result 1: make it green/ }).waitFor();
  assert.deepEqual(referenceImages(studio.backend.generations[2]), [firstImage], "the branch edits turn 1's image");
  assertClean();
});

/** The painted area of a decoded mask: alpha 0; everything else must be 255. */
function paintedPixels(mask: { width: number; height: number; data: Uint8Array }): Set<number> {
  const painted = new Set<number>();
  for (let i = 0; i < mask.width * mask.height; i++) {
    const alpha = mask.data[i * 4 + 3];
    assert.ok(alpha === 0 || alpha === 255, `pixel ${i} has alpha ${alpha}: a mask is all or nothing`);
    if (alpha === 0) painted.add(i);
  }
  return painted;
}

function distanceToSegment(px: number, py: number, [ax, ay]: number[], [bx, by]: number[]): number {
  const dx = (bx ?? 0) - (ax ?? 0);
  const dy = (by ?? 0) - (ay ?? 0);
  const t = Math.max(0, Math.min(1, ((px - (ax ?? 0)) * dx + (py - (ay ?? 0)) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - ((ax ?? 0) + t * dx), py - ((ay ?? 0) + t * dy));
}

test("a painted mask reaches the backend as a PNG of the reference's size, alpha 0 exactly where painted; unmasked pixels are kept", { timeout: 120_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (browser === undefined) return;
  const studio = await setupStudio(t);
  const [width, height] = [320, 200];
  const reference = rgbaNoise(width, height, 3);
  const edited = rgbaNoise(width, height, 4);
  studio.backend.enqueue({ kind: "images", images: [{ data: edited }] }, { kind: "images", images: [{ data: rgbaNoise(160, 160, 5) }] });
  const { page, assertClean } = await openStudio(browser, studio.server);
  await page.getByLabel("Reference images").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: reference });
  await page.getByRole("img", { name: "Image 1: photo.png" }).waitFor();
  await page.getByRole("button", { name: "Paint mask" }).click();
  const canvas = page.getByRole("application", { name: "Mask", exact: true });
  await canvas.waitFor();
  assert.equal(await page.getByRole("checkbox", { name: "Keep unmasked pixels" }).isChecked(), true, "on by default");

  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  assert.ok(box !== null);
  const brush = Number(await page.getByRole("slider", { name: "Brush size" }).inputValue());
  const from = [box.x + box.width * 0.25, box.y + box.height * 0.5];
  const to = [box.x + box.width * 0.7, box.y + box.height * 0.4];
  await page.mouse.move(from[0] as number, from[1] as number);
  await page.mouse.down();
  await page.mouse.move(to[0] as number, to[1] as number, { steps: 1 });
  await page.mouse.up();
  await page.getByRole("button", { name: "Undo" }).waitFor({ state: "visible" });

  await page.getByRole("textbox", { name: "Prompt", exact: true }).fill("put a moon in the painted area");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  const results = page.getByRole("region", { name: "Results" });
  await results.getByRole("img", { name: /^Result 1, unmasked pixels kept: / }).waitFor();
  await results.getByRole("img", { name: /^Result 1, raw: / }).waitFor();

  const mask = decodePng(dataUrlBytes(bodyOf(studio.backend.generations[0]).tools[0]?.input_image_mask?.image_url));
  assert.deepEqual([mask.width, mask.height], [width, height], "the mask has the reference's pixel size");
  const painted = paintedPixels(mask);
  const scale = width / box.width;
  const radius = (brush / 2) * scale;
  const toImage = ([x, y]: number[]) => [((x ?? 0) - box.x) * scale, ((y ?? 0) - box.y) * scale];
  const [a, b] = [toImage(from), toImage(to)];
  for (let i = 0; i < width * height; i++) {
    const distance = distanceToSegment((i % width) + 0.5, Math.floor(i / width) + 0.5, a, b);
    // One pixel of slack for where the browser placed the pointer; beyond it, painted means exactly the stroke.
    if (distance < radius - 1) assert.ok(painted.has(i), `pixel ${i}, ${distance.toFixed(1)} px from the stroke, is painted`);
    if (distance > radius + 1) assert.ok(!painted.has(i), `pixel ${i}, ${distance.toFixed(1)} px from the stroke, is not painted`);
  }

  const [run, composite] = await studio.untilLibraryLines(2);
  assert.ok(run?.type === "run" && composite?.type === "composite");
  assert.equal(composite.of, 0);
  const kept = decodePng(readFileSync(join(studio.libraryDir, composite.image.path)));
  const original = decodePng(reference);
  const result = decodePng(edited);
  for (let i = 0; i < width * height; i++) {
    const source = painted.has(i) ? result : original;
    assert.deepEqual([...kept.data.subarray(i * 4, i * 4 + 4)], [...source.data.subarray(i * 4, i * 4 + 4)], `pixel ${i} comes from the ${painted.has(i) ? "result" : "reference"}`);
  }

  // The next edit comes back at another size: nothing to composite, and the page says why.
  await page.getByRole("textbox", { name: "Prompt", exact: true }).fill("now a sun");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await results.getByText(/Unmasked pixels were not kept: the result is 160x160, the reference 320x200/).waitFor();
  assertClean();
});

test("the mask's tools with the keyboard: Space paints, Invert, Undo, Redo, Clear; Use as reference and Download", { timeout: 120_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (browser === undefined) return;
  const studio = await setupStudio(t);
  const [width, height] = [200, 120];
  const { page, assertClean } = await openStudio(browser, studio.server);
  await page.getByLabel("Reference images").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: rgbaNoise(width, height, 6) });
  await page.getByRole("img", { name: "Image 1: photo.png" }).waitFor();
  await page.getByRole("button", { name: "Paint mask" }).click();
  const canvas = page.getByRole("application", { name: "Mask", exact: true });
  await canvas.focus();
  await page.keyboard.press("Space");
  const undo = page.getByRole("button", { name: "Undo" });
  const redo = page.getByRole("button", { name: "Redo" });
  await page.getByRole("button", { name: "Invert mask" }).click();
  await undo.click();
  await redo.click();
  assert.equal(await redo.isEnabled(), false, "nothing left to redo");
  await page.getByRole("textbox", { name: "Prompt", exact: true }).fill("everything but the middle");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  const results = page.getByRole("region", { name: "Results" });
  await results.getByRole("img", { name: /^Result 1: everything but the middle/ }).waitFor();

  const mask = decodePng(dataUrlBytes(bodyOf(studio.backend.generations[0]).tools[0]?.input_image_mask?.image_url));
  const painted = paintedPixels(mask);
  const centre = (height / 2) * width + width / 2;
  assert.ok(!painted.has(centre), "Space painted the middle, and Invert made it the kept part");
  assert.ok(painted.has(0) && painted.has(width * height - 1), "the rest is to be edited");
  assert.ok(painted.size > width * height * 0.5);

  await page.getByRole("button", { name: "Clear mask" }).click();
  const [download] = await Promise.all([page.waitForEvent("download"), results.getByRole("button", { name: "Download" }).first().click()]);
  assert.match(download.suggestedFilename(), /^codex-imagen-.*\.png$/);
  await results.getByRole("button", { name: "Use as reference" }).first().click();
  await page.getByRole("img", { name: /^Image 2: Result 1/ }).waitFor();
  await page.getByRole("textbox", { name: "Prompt", exact: true }).fill("again, with a cleared mask");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await results.getByRole("img", { name: /^Result 1: again, with a cleared mask/ }).waitFor();
  const second = bodyOf(studio.backend.generations[1]);
  assert.equal(second.tools[0]?.input_image_mask, undefined, "a cleared mask is not sent");
  assert.equal(referenceImages(studio.backend.generations[1]).length, 2, "the result went as Image 2");
  assertClean();
});
