/**
 * The batch gallery in a real browser: headless Chromium (Debian's `chromium`, or CHROMIUM_PATH) driven by
 * playwright-core opens index.html from file://. Skipped when no Chromium is found, except under CI.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { chromium, type Page } from "playwright-core";
import { manifestLines, runBatch, writeJobs } from "../support/batch-fixture.js";
import { CHROMIUM_INSTALL as INSTALL, findChromium, LAUNCH_FLAGS } from "../support/chromium.js";
import { setupCli } from "../support/cli-fixture.js";
import type { Scenario } from "../support/fake-backend.js";
import { renderPlaceholder } from "../../src/images/png.js";

const ARTIFACTS = process.env.TEST_ARTIFACTS_DIR ?? join(import.meta.dirname ?? process.cwd(), "..", "..", "test-artifacts");
const HOSTILE_PROMPT = `poster saying <script>window.__injected = true</script><img src=x onerror="window.__injected = true">`;

/** Runs `expression` in the page (as text: the type checker here knows Node, not the DOM). */
async function inPage<T>(page: Page, expression: string): Promise<T> {
  return (await page.evaluate(expression)) as T;
}

/** Scrolls every thumbnail into view (they load lazily) and waits until each has loaded or failed. */
async function loadAllImages(page: Page): Promise<number[]> {
  for (const image of await page.locator("img").all()) await image.scrollIntoViewIfNeeded();
  await page.waitForFunction("[...document.images].every((image) => image.complete)");
  return inPage(page, "[...document.images].map((image) => image.naturalWidth)");
}

test("the gallery in headless Chromium: every thumbnail loads, prompts render as text, failed jobs show their error, 360 and 1440 px wide", { timeout: 120_000 }, async (t) => {
  const executablePath = findChromium();
  if (executablePath === undefined) {
    assert.ok(process.env.CI !== "true", `CI must run the browser test: ${INSTALL}`);
    t.skip(`no Chromium found: ${INSTALL}`);
    return;
  }
  const f = await setupCli(t);
  const file = writeJobs(f.home.home, "icons.jsonl", [
    { prompt: "a lighthouse at dusk, watercolor", id: "lighthouse" },
    { prompt: HOSTILE_PROMPT, id: "poster" },
    { prompt: "something the safety system refuses", id: "refused" },
    { prompt: "two paper boats", id: "boats", count: 2 },
    { prompt: "a cover with a space in its name", output: "the cover.png" },
  ]);
  // One at a time, so the answers go to the jobs in file order: a picture of its own each, and a refusal for the third.
  const picture = (seed: string): Scenario => ({ kind: "images", images: [{ data: renderPlaceholder(seed, 768, 512) }] });
  f.backend.enqueue(
    picture("lighthouse"),
    picture("poster"),
    { kind: "http-error", status: 400, body: { error: { code: "moderation_blocked", message: "Your request was rejected by the safety system" } } },
    picture("boat 1"),
    picture("boat 2"),
    picture("cover"),
  );
  const run = await runBatch(f, file, ["--concurrency", "1", "--quiet"]);
  assert.equal(run.code, 1, "one job failed");
  const outDir = join(f.home.home, "icons-images");
  const imageCount = manifestLines(outDir).reduce((sum, record) => sum + record.images.length, 0);
  assert.equal(imageCount, 5);

  const browser = await chromium.launch({ executablePath, args: LAUNCH_FLAGS });
  t.after(() => browser.close());
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const width of [1440, 360]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    await page.goto(pathToFileURL(join(outDir, "index.html")).href);
    const widths = await loadAllImages(page);
    assert.equal(widths.length, imageCount, `${width} px: a thumbnail per image`);
    assert.ok(widths.every((natural) => natural === 768), `${width} px: every thumbnail loaded (naturalWidth ${widths.join(", ")})`);
    assert.ok(requested.every((url) => url.startsWith("file://")), `${width} px: nothing but local files requested: ${requested.join(", ")}`);

    const poster = await page.locator("#job-poster .prompt").textContent();
    assert.equal(poster, HOSTILE_PROMPT, "the prompt is shown as text");
    assert.equal(await inPage(page, "window.__injected"), undefined, "nothing in a prompt ran");
    assert.equal(await page.locator("script").count(), 0);
    const refused = page.locator("article.failed");
    assert.equal(await refused.count(), 1);
    assert.match((await refused.textContent()) ?? "", /failed \(policy\): .*rejected by the safety system/);

    const layout = await inPage<{ overflow: number; columns: number; widest: number }>(
      page,
      `({
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        columns: new Set([...document.querySelectorAll("article")].map((card) => Math.round(card.getBoundingClientRect().left))).size,
        widest: Math.max(...[...document.querySelectorAll("article")].map((card) => card.getBoundingClientRect().right)),
      })`,
    );
    assert.ok(layout.overflow <= 0, `${width} px: no horizontal scrolling (${layout.overflow} px too wide)`);
    assert.ok(layout.widest <= width, `${width} px: every card fits`);
    assert.equal(layout.columns > 1, width === 1440, `${width} px: ${layout.columns} column(s)`);
    const screenshot = join(ARTIFACTS, `gallery-${width}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    t.diagnostic(`screenshot: ${screenshot}`);
    await page.close();
  }
});
