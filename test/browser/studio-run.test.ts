/**
 * The studio's runs in a real browser against the fake backend: previews before finals for n=2, Stop, a usage
 * limit's reset time, hostile prompts, and a history that survives a restart and a corrupt line.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { appendFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { RecordedRequest } from "../support/fake-backend.js";
import { launchChromium } from "../support/chromium.js";
import { inPage, openStudio, setupStudio } from "../support/studio-fixture.js";
import { untilFile } from "../support/until-file.js";
import { renderPlaceholder } from "../../src/images/png.js";
import { noisyPng } from "../support/noisy-png.js";

/** Records, in the page, when each image's alt text first appears (a final image replacing its preview is a new element). */
const RECORD_IMAGES = `
  window.__shown = [];
  new MutationObserver(() => {
    for (const image of document.querySelectorAll("img")) {
      if (!window.__shown.some((entry) => entry.alt === image.alt)) window.__shown.push({ alt: image.alt, at: performance.now() });
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["src", "alt"] });
`;

test("n=2: each tile shows its streamed previews before its final image, side by side; the run is in the library", { timeout: 120_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (browser === undefined) return;
  const studio = await setupStudio(t);
  // Previews larger than one write of the server's stream (64 KB), as real ones are.
  const final = (seed: string) => ({ kind: "images" as const, images: [{ partialFrames: [noisyPng(160, 1), noisyPng(160, 2)], data: renderPlaceholder(seed, 96, 64) }], delayMs: 150 });
  studio.backend.enqueue(final("one"), final("two"));
  const { page, assertClean } = await openStudio(browser, studio.server);
  await page.evaluate(RECORD_IMAGES);

  await page.getByRole("textbox", { name: "Prompt", exact: true }).fill("two paper boats on a pond");
  await page.getByRole("spinbutton", { name: "Count" }).fill("2");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  const results = page.getByRole("region", { name: "Results" });
  await results.getByRole("img", { name: /^Result 2: two paper boats/ }).waitFor();
  await results.getByRole("img", { name: /^Result 1: two paper boats/ }).waitFor();
  await results.getByText(/^Done in/).waitFor();

  const shown = await inPage<Array<{ alt: string; at: number }>>(page, "window.__shown");
  for (const n of [1, 2]) {
    const preview = shown.find((entry) => entry.alt === `Result ${n} (preview)`);
    const finalImage = shown.find((entry) => entry.alt.startsWith(`Result ${n}: `));
    assert.ok(preview !== undefined, `result ${n} showed a preview: ${JSON.stringify(shown)}`);
    assert.ok(finalImage !== undefined && preview.at < finalImage.at, `result ${n}'s preview came before its final image`);
  }
  const boxes = await results.getByRole("article").evaluateAll((cards) => cards.map((card) => card.getBoundingClientRect().top));
  assert.equal(boxes.length, 2);
  assert.equal(Math.round(boxes[0] ?? 0), Math.round(boxes[1] ?? 1), "the variations stand side by side at 1280 px");
  assert.equal(studio.backend.generations.length, 2);
  const tools = studio.backend.generations.map((request) => (request.body as { tools: Array<{ partial_images?: number }> }).tools[0]);
  assert.ok(tools.every((tool) => tool?.partial_images === 2), "previews were asked for");

  const [line] = studio.libraryLines();
  assert.equal(line?.type, "run");
  assert.equal(line?.type === "run" && line.images.length, 2);
  assert.ok(readdirSync(join(studio.libraryDir, "images")).every((name) => !name.includes("-partial-")), "no preview file is left in the library");
  await page.getByRole("region", { name: "History" }).getByText("two paper boats on a pond").waitFor();

  // The page draws a thumbnail of each result for the history, which then never loads the full image.
  await untilFile(join(studio.libraryDir, "thumbs"), () => (readdirSync(join(studio.libraryDir, "thumbs")).length === 2 ? true : undefined), "two thumbnails");
  const usageReads = studio.backend.usageRequests.length;
  assert.ok(usageReads >= 2, "the account's limits were read at start and again after the run");
  await page.reload();
  const thumb = page.getByRole("region", { name: "History" }).getByRole("img", { name: /^Run: two paper boats/ });
  assert.match((await thumb.getAttribute("src")) ?? "", /\/studio\/files\/thumbs\//);
  assertClean();
});

test("Stop closes the run and the upstream request within a second; what arrived stays", { timeout: 120_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (browser === undefined) return;
  const studio = await setupStudio(t);
  studio.backend.enqueue({ kind: "stall", afterImages: 0, images: [{ partials: 1 }] });
  const { page, assertClean } = await openStudio(browser, studio.server);
  await page.getByRole("textbox", { name: "Prompt", exact: true }).fill("a slow lighthouse");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await page.getByRole("img", { name: "Result 1 (preview)" }).waitFor();

  const closed = once(studio.backend.events, "closed-early") as Promise<[RecordedRequest]>;
  const pressed = Date.now();
  await page.getByRole("button", { name: "Stop", exact: true }).click();
  const [request] = await closed;
  assert.ok((request.closedEarlyAt ?? Infinity) - pressed <= 1000, `the upstream request closed ${(request.closedEarlyAt ?? Infinity) - pressed} ms after Stop`);
  await page.getByRole("region", { name: "Results" }).getByText(/^Stopped/).waitFor();
  await page.getByRole("button", { name: "Generate", exact: true }).waitFor({ state: "visible" });
  assert.equal(await page.getByRole("button", { name: "Generate", exact: true }).isEnabled(), true);
  const [line] = await studio.untilLibraryLines(1);
  assert.equal(line?.type === "run" && line.error?.code, "stopped");
  assertClean();
});

test("a usage limit says when it resets; a hostile prompt stays text everywhere", { timeout: 120_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (browser === undefined) return;
  const studio = await setupStudio(t);
  const hostile = `<img src=x onerror="window.__injected = 1"><script>window.__injected = 2</script>`;
  studio.backend.enqueue({ kind: "http-error", status: 429, body: { error: { type: "usage_limit_reached", message: "The usage limit has been reached", resets_in_seconds: 1800 } } });
  const { page, assertClean } = await openStudio(browser, studio.server);
  await page.getByRole("textbox", { name: "Prompt", exact: true }).fill(hostile);
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  const alert = page.getByRole("region", { name: "Results" }).getByRole("alert");
  await alert.getByText(/limit resets at \d{2}:\d{2}/).waitFor();
  assert.match((await alert.textContent()) ?? "", /in about (29|30) min/);

  await page.getByRole("region", { name: "Results" }).getByText(hostile, { exact: true }).waitFor();
  await page.getByRole("region", { name: "History" }).getByText(hostile, { exact: true }).waitFor();
  assert.equal(await inPage(page, "window.__injected"), undefined, "nothing in the prompt ran");
  assertClean();
});

test("the history survives a restart and a corrupt line in library.jsonl", { timeout: 120_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (browser === undefined) return;
  const first = await setupStudio(t);
  const { page } = await openStudio(browser, first.server);
  await page.getByRole("textbox", { name: "Prompt", exact: true }).fill("a fox in the snow");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await page.getByRole("img", { name: /^Result 1: a fox in the snow/ }).waitFor();
  await first.close();
  appendFileSync(join(first.libraryDir, "library.jsonl"), '{"v":1,"type":"run","id":\n');

  const second = await setupStudio(t, { libraryDir: first.libraryDir });
  const reopened = await openStudio(browser, second.server);
  const history = reopened.page.getByRole("region", { name: "History" });
  await history.getByText("a fox in the snow").waitFor();
  await second.server.waitForLog(/warning: .*library\.jsonl.*line 2/);
  await history.getByRole("button", { name: /^Open run: a fox in the snow/ }).click();
  await reopened.page.getByRole("region", { name: "Results" }).getByRole("img", { name: /^Result 1: a fox in the snow/ }).waitFor();
  reopened.assertClean();
});
