/**
 * The studio page as people use it: the keyboard alone, a 390 px phone, light and dark, the accessible names of
 * the contract, the account's limits, live validation; screenshots at 1280 and 390 px go to test-artifacts/.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { ARTIFACTS, launchChromium } from "../support/chromium.js";
import { inPage, openStudio, setupStudio } from "../support/studio-fixture.js";
import { renderPlaceholder } from "../../src/images/png.js";

/** Presses Tab until `expression` (about document.activeElement) holds; fails after `limit` presses. */
async function tabUntil(page: Page, expression: string, limit = 60): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    if (await inPage<boolean>(page, `(() => { const element = document.activeElement; return Boolean(${expression}); })()`)) return;
    await page.keyboard.press("Tab");
  }
  assert.fail(`Tab never reached ${expression}; focus is on ${await inPage(page, "document.activeElement?.outerHTML.slice(0, 120)")}`);
}

const focusedButton = (name: string) => `element?.tagName === "BUTTON" && element.textContent.trim() === ${JSON.stringify(name)}`;

test("the whole flow with the keyboard alone: prompt, options, generate, full view, edit this, stop", { timeout: 120_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (browser === undefined) return;
  const studio = await setupStudio(t);
  const { page, assertClean } = await openStudio(browser, studio.server);
  const { keyboard } = page;

  await tabUntil(page, 'element?.id === "prompt"');
  await keyboard.type("a keyboard fox");
  await tabUntil(page, 'element?.id === "count"');
  await keyboard.press("ArrowUp");
  await keyboard.press("Control+Enter");
  const results = page.getByRole("region", { name: "Results" });
  await results.getByRole("img", { name: /^Result 2: a keyboard fox/ }).waitFor();
  await results.getByText(/^Done in/).waitFor();
  assert.equal(studio.backend.generations.length, 2, "Count went to 2 with the arrow key");

  await tabUntil(page, 'element?.getAttribute("aria-label")?.startsWith("Full view: Result 1")');
  await keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Full view" });
  await dialog.waitFor();
  await keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });

  await tabUntil(page, focusedButton("Edit this"));
  await keyboard.press("Enter");
  await page.getByRole("navigation", { name: "Thread" }).waitFor();
  assert.equal(await inPage(page, "document.activeElement?.id"), "prompt", "Edit this hands the focus to the prompt");
  studio.backend.enqueue({ kind: "stall", afterImages: 0, images: [{ partials: 1 }] });
  await keyboard.type("now at night");
  await keyboard.press("Meta+Enter");
  await results.getByRole("img", { name: "Result 1 (preview)" }).waitFor();
  await keyboard.press("Escape");
  await results.getByText(/^Stopped/).waitFor();
  assert.equal(studio.backend.generations.length, 4, "the edit kept Count 2");
  assertClean();
});

test("390 px wide: no horizontal scrolling anywhere; light and dark; screenshots at 1280 and 390 px", { timeout: 180_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (browser === undefined) return;
  const studio = await setupStudio(t);
  studio.backend.enqueue(
    { kind: "images", images: [{ data: renderPlaceholder("wide one", 1536, 1024), revisedPrompt: "A very long revised prompt ".repeat(12), size: "1536x1024" }] },
    { kind: "images", images: [{ data: renderPlaceholder("wide two", 1536, 1024), size: "1536x1024" }] },
  );
  const setup = await openStudio(browser, studio.server);
  await setup.page.getByRole("textbox", { name: "Prompt", exact: true }).fill(`A lighthouse on a cliff at dusk, ${"with a very long unbroken description-".repeat(8)}`);
  await setup.page.getByRole("combobox", { name: "Size", exact: true }).selectOption("1536x1024");
  await setup.page.getByRole("spinbutton", { name: "Count" }).fill("2");
  await setup.page.getByRole("button", { name: "Generate", exact: true }).click();
  await setup.page.getByRole("region", { name: "Results" }).getByText(/^Done in/).waitFor();
  await setup.page.context().close();

  mkdirSync(ARTIFACTS, { recursive: true });
  for (const width of [1280, 390]) {
    for (const colorScheme of ["light", "dark"] as const) {
      const { page, assertClean } = await openStudio(browser, studio.server, { width, height: 900, colorScheme });
      const history = page.getByRole("region", { name: "History" });
      await history.getByRole("button", { name: /^Open run: A lighthouse/ }).click();
      const results = page.getByRole("region", { name: "Results" });
      await results.getByRole("img", { name: /^Result 2: A lighthouse/ }).waitFor();
      await results.getByText("Details").first().click();
      await page.getByLabel("Reference images").setInputFiles({ name: "a-reference-with-a-rather-long-file-name.png", mimeType: "image/png", buffer: renderPlaceholder("ref", 300, 200) });
      await page.getByRole("button", { name: "Paint mask" }).click();
      await page.getByRole("application", { name: "Mask", exact: true }).waitFor();
      const background = await inPage<string>(page, "getComputedStyle(document.body).backgroundColor");
      assert.equal(background === "rgb(247, 247, 245)", colorScheme === "light", `${colorScheme}: the page follows the system's scheme (${background})`);
      const overflow = await inPage<number>(page, "document.documentElement.scrollWidth - window.innerWidth");
      assert.ok(overflow <= 0, `${width} px ${colorScheme}: ${overflow} px of horizontal scrolling`);
      const screenshot = join(ARTIFACTS, `studio-${width}-${colorScheme}.png`);
      await page.screenshot({ path: screenshot, fullPage: true });
      t.diagnostic(`screenshot: ${screenshot}`);
      assertClean();
      await page.context().close();
    }
  }
});

test("the contract's accessible names, live validation by the CLI's rules, and the account's limits", { timeout: 120_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (browser === undefined) return;
  const studio = await setupStudio(t);
  const { page, assertClean } = await openStudio(browser, studio.server);
  for (const name of ["Results", "History", "Account"]) await page.getByRole("region", { name, exact: true }).waitFor();
  for (const name of ["Size", "Quality", "Background", "Format"]) await page.getByRole("combobox", { name, exact: true }).waitFor();
  await page.getByRole("spinbutton", { name: "Count", exact: true }).waitFor();
  await page.getByRole("button", { name: "Generate", exact: true }).waitFor();
  await page.getByRole("button", { name: "Stop", exact: true }).waitFor();
  await page.getByLabel("Reference images", { exact: true }).waitFor();

  await page.getByRole("combobox", { name: "Size", exact: true }).selectOption("custom");
  const custom = page.getByRole("textbox", { name: "Custom size (WxH)" });
  await custom.fill("1000x1000");
  await page.getByText(/size 1000x1000: both sides must be positive multiples of 16/).waitFor();
  assert.equal(await page.getByText(/multiples of 16/).count(), 1, "the problem shows once, at the field to correct");
  assert.equal(await custom.getAttribute("aria-invalid"), "true");
  await custom.fill("1008x1008");
  await page.getByText(/multiples of 16/).waitFor({ state: "detached" });
  await page.getByRole("combobox", { name: "Format", exact: true }).selectOption("png");
  await page.getByRole("spinbutton", { name: "Count", exact: true }).fill("12");
  await page.getByText(/count must be/).waitFor();
  await page.getByRole("textbox", { name: "Prompt", exact: true }).fill("anything");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await page.getByRole("alert").getByText(/count must be/).waitFor();
  assert.equal(studio.backend.generations.length, 0, "nothing is sent while a field is wrong");

  const account = page.getByRole("region", { name: "Account" });
  await account.getByText(/Codex CLI login/).waitFor();
  await account.getByText(/% used/).first().waitFor();
  await account.getByText(/resets /).first().waitFor();
  assertClean();
});

test("a studio with an API key: the page asks for it once (and says so when it is wrong), then runs and shows images with it", { timeout: 120_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (browser === undefined) return;
  const studio = await setupStudio(t, { args: ["--backend", "mock", "--host", "0.0.0.0", "--api-key", "a-key-for-the-page"] });
  const { page, assertClean, errors } = await openStudio(browser, studio.server, { ready: "load" });
  const key = page.getByLabel("API key");
  await key.fill("not-the-key");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("alert").getByText(/That API key was not accepted/).waitFor();
  assert.equal(await key.getAttribute("aria-invalid"), "true");
  assert.ok(errors.length > 0 && errors.every((error) => /401/.test(error)), `the refused key is the only failed request: ${errors.join("; ")}`);
  errors.length = 0;

  await key.fill("a-key-for-the-page");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("textbox", { name: "Prompt", exact: true }).fill("a fox behind a key");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await page.getByRole("region", { name: "Results" }).getByRole("img", { name: /^Result 1: a fox behind a key/ }).waitFor();
  // The image element appears once its bytes were fetched with the key (a placeholder stands in before).
  await page.locator("img[alt^='Result 1:']").waitFor();
  // Not waitForFunction: its polling evaluates strings, which the page's CSP rightly refuses.
  const shown = await inPage<number>(page, `(async () => { const image = [...document.images].find((image) => image.alt.startsWith("Result 1")); await image.decode(); return image.naturalWidth; })()`);
  assert.ok(shown > 0, "the image, fetched with the key, is on screen");
  assert.equal(await inPage(page, "sessionStorage.length"), 1, "the key is kept for this tab only");
  assertClean();
});

test("with --backend images the page offers only what the typed endpoints honour, and a run works", { timeout: 120_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (browser === undefined) return;
  const studio = await setupStudio(t, { args: ["--backend", "images"] });
  const { page, assertClean } = await openStudio(browser, studio.server);
  await page.getByRole("combobox", { name: "Quality", exact: true }).waitFor();
  for (const name of ["Format", "Moderation", "Previews per image"]) assert.equal(await page.getByRole("combobox", { name, exact: true }).count(), 0, `${name} is not offered`);
  await page.getByLabel("Reference images").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: renderPlaceholder("typed", 64, 64) });
  await page.getByRole("img", { name: "Image 1: photo.png" }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Paint mask" }).count(), 0, "the typed endpoints take no mask");
  await page.getByRole("textbox", { name: "Prompt", exact: true }).fill("a typed edit");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await page.getByRole("region", { name: "Results" }).getByRole("img", { name: /^Result 1: a typed edit/ }).waitFor();
  assert.equal(studio.backend.imageRequests.length, 1);
  assertClean();
});
