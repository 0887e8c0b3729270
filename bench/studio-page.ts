/**
 * `npm run bench:studio`: the studio's page in the real browser (Debian's chromium) against the fake backend.
 * - the page's own JS+CSS, gzipped (target <= 80 KB);
 * - the prompt focusable after navigation (median of 20; target <= 300 ms);
 * - a streamed preview on screen after the server got it from the backend (median of 20 frames; target <= 150 ms),
 *   for a small frame, a 1024x1024 photo-like one, and the worst case: 1536x1536 of noise (7 MB, incompressible);
 * - a 10,000-run library: its first history page over HTTP, and on screen after navigation (target <= 1 s);
 * - the images one history page of 50 runs loads (target <= 2 MB), with thumbnails the page drew itself.
 * Usage: node --import tsx bench/studio-page.ts [--runs N]
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { type Browser, chromium, type Page } from "playwright-core";
import { encodePng } from "../src/images/png.js";
import { findChromium, LAUNCH_FLAGS } from "../test/support/chromium.js";
import { makeTempDir } from "../test/support/run-cli.js";
import { noisyPng } from "../test/support/noisy-png.js";
import { setupServe, type ServeFixture } from "../test/support/serve-fixture.js";
import { PAGE } from "../test/support/studio-fixture.js";
import { untilFile } from "../test/support/until-file.js";
import { median } from "./measure.js";
import { writeSyntheticLibrary } from "./synthetic-library.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "20" } } });
const runs = Number(values.runs);
const STUDIO_ASSETS = fileURLToPath(new URL("../scripts/studio/", import.meta.url));

const verdict = (value: number, target: number) => (value <= target ? "ok" : "MISSED");
const ms = (value: number) => `${value.toFixed(0)} ms`;

async function studio(libraryDir = join(makeTempDir("codex-imagen-bench-studio-"), "library")): Promise<ServeFixture> {
  return setupServe(undefined, { door: "studio", args: ["--no-open", "--library", libraryDir] });
}

function assetSizes(): void {
  const files = readdirSync(STUDIO_ASSETS).filter((name) => /\.(js|css)$/.test(name));
  const raw = files.reduce((sum, name) => sum + readFileSync(join(STUDIO_ASSETS, name)).length, 0);
  const gzipped = files.reduce((sum, name) => sum + gzipSync(readFileSync(join(STUDIO_ASSETS, name)), { level: 9 }).length, 0);
  console.log(`page JS+CSS: ${(raw / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped (target <= 80 KB): ${verdict(gzipped / 1024, 80)}`);
}

/** Time from navigation start until the prompt exists and takes the focus, measured by the page's own clock. */
async function promptReady(browser: Browser): Promise<void> {
  const fixture = await studio();
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const page = await browser.newPage();
      await page.addInitScript(`
        new MutationObserver((_, observer) => {
          const prompt = document.getElementById("prompt");
          if (prompt === null) return;
          prompt.focus();
          if (document.activeElement === prompt) { window.__promptReady = performance.now(); observer.disconnect(); }
        }).observe(document, { subtree: true, childList: true });
      `);
      await page.goto(fixture.server.url);
      await page.getByRole("textbox", { name: "Prompt", exact: true }).waitFor();
      times.push((await page.evaluate("window.__promptReady")) as number);
      await page.close();
    }
  } finally {
    await fixture.close();
  }
  console.log(`prompt focusable after navigation (median of ${runs}): ${ms(median(times))}, max ${ms(Math.max(...times))} (target <= 300 ms): ${verdict(median(times), 300)}`);
}

/** Records, for every preview shown, the server's receipt time and the moment the decoded frame was on screen. */
const RECORD_PREVIEWS = `
  window.__previews = [];
  const seen = new Set();
  new MutationObserver(() => {
    for (const image of document.querySelectorAll("img[data-received-at]")) {
      // The fake backend sends the same frame each time: a frame is new by when it arrived, not by its bytes.
      const receivedAt = Number(image.dataset.receivedAt);
      if (seen.has(receivedAt)) continue;
      seen.add(receivedAt);
      image.decode().then(() => requestAnimationFrame(() => window.__previews.push(Date.now() - receivedAt)), () => {});
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["src", "data-received-at"] });
`;

/** `frames` different pictures (a browser decodes a picture it has seen once from its cache). */
async function previewLatency(browser: Browser, label: string, frames: Buffer[]): Promise<void> {
  const fixture = await studio();
  try {
    fixture.backend.enqueue({ kind: "images", images: [{ partialFrames: frames }], delayMs: 250 });
    const page = await browser.newPage();
    await page.addInitScript(RECORD_PREVIEWS);
    await page.goto(fixture.server.url);
    await page.getByRole("textbox", { name: "Prompt", exact: true }).fill("a lighthouse, previewed");
    await page.getByRole("button", { name: "Generate", exact: true }).click();
    await page.getByRole("region", { name: "Results" }).getByText(/^Done in/).waitFor({ timeout: 120_000 });
    const latencies = (await page.evaluate("window.__previews")) as number[];
    console.log(
      `${label} preview (${(frames[0]?.length ?? 0) / 1024 | 0} KB) on screen after the server got it (median of ${latencies.length}): ${ms(median(latencies))}, max ${ms(Math.max(...latencies))} (target <= 150 ms): ${verdict(median(latencies), 150)}`,
    );
    await page.close();
  } finally {
    await fixture.close();
  }
}

async function largeLibrary(browser: Browser): Promise<void> {
  const dir = join(makeTempDir("codex-imagen-bench-studio-"), "library");
  writeSyntheticLibrary(dir, 10_000);
  const fixture = await studio(dir);
  try {
    const started = performance.now();
    const answer = await fetch(`${fixture.server.origin}/studio/api/runs?limit=50`, { headers: PAGE });
    const { total } = (await answer.json()) as { total: number };
    const httpMs = performance.now() - started;
    const page = await browser.newPage();
    await page.goto(fixture.server.url);
    await page.getByRole("region", { name: "History" }).getByRole("button", { name: /^Open run:/ }).first().waitFor();
    const shownMs = (await page.evaluate("performance.now()")) as number;
    console.log(`10,000-run library (${total} live): first page of 50 over HTTP, cold: ${ms(httpMs)}; history on screen ${ms(shownMs)} after navigation (target <= 1000 ms): ${verdict(Math.max(httpMs, shownMs), 1000)}`);
    await page.close();
  } finally {
    await fixture.close();
  }
}

/** A photo-like picture: colour gradients with coarse grain (8-pixel blocks, so detail survives the thumbnail's 4x reduction). */
function photoLike(side: number, seed: number): Buffer {
  const pixels = new Uint8Array(side * side * 3);
  const grain = (x: number, y: number): number => {
    let state = (Math.imul(x >> 3, 73_856_093) ^ Math.imul(y >> 3, 19_349_663) ^ Math.imul(seed, 83_492_791)) >>> 0;
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % 48;
  };
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const i = (y * side + x) * 3;
      const noise = grain(x, y);
      pixels[i] = Math.min(255, (x * 200) / side + noise);
      pixels[i + 1] = Math.min(255, (y * 200) / side + noise);
      pixels[i + 2] = Math.min(255, ((x + y) * 100) / side + ((seed * 37) % 100) + noise);
    }
  }
  return encodePng(side, side, pixels);
}

async function historyBytes(browser: Browser): Promise<void> {
  const libraryDir = join(makeTempDir("codex-imagen-bench-studio-"), "library");
  const fixture = await studio(libraryDir);
  try {
    const count = 50;
    for (let i = 0; i < count; i++) fixture.backend.enqueue({ kind: "images", images: [{ data: photoLike(1024, i + 1) }] });
    const maker = await browser.newPage();
    await maker.goto(fixture.server.url);
    for (let i = 0; i < count; i++) {
      await maker.getByRole("textbox", { name: "Prompt", exact: true }).fill(`picture number ${i + 1}`);
      await maker.getByRole("button", { name: "Generate", exact: true }).click();
      await maker.getByRole("region", { name: "History" }).getByText(`picture number ${i + 1}`, { exact: true }).waitFor({ timeout: 120_000 });
    }
    // The page uploads each thumbnail once it has drawn it: wait for the last one before looking.
    await untilFile(join(libraryDir, "thumbs"), () => (readdirSync(join(libraryDir, "thumbs")).length >= count ? true : undefined), "every thumbnail being stored");
    await maker.close();
    // A fresh context: an empty cache, as when the studio is opened again another day.
    const page: Page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(fixture.server.url);
    const history = page.getByRole("region", { name: "History" });
    await history.getByText("picture number 1", { exact: true }).waitFor();
    await history.evaluate("(element) => element.scrollIntoView({ block: 'end' })");
    await page.waitForLoadState("networkidle");
    const bytes = (await page.evaluate(
      `performance.getEntriesByType("resource").filter((entry) => entry.name.includes("/studio/files/")).reduce((sum, entry) => sum + entry.encodedBodySize, 0)`,
    )) as number;
    const full = readdirSync(join(libraryDir, "images")).reduce((sum, name) => sum + statSync(join(libraryDir, "images", name)).size, 0);
    const mb = (value: number) => `${(value / 1024 / 1024).toFixed(2)} MB`;
    console.log(`one history page of ${count} runs (1024x1024 photo-like results, ${mb(full)} in all; thumbnails drawn by the page): ${mb(bytes)} of images loaded (target <= 2 MB): ${verdict(bytes / 1024 / 1024, 2)}`);
    await page.context().close();
  } finally {
    await fixture.close();
  }
}

const executablePath = findChromium();
if (executablePath === undefined) throw new Error("bench:studio needs Chromium: apt-get install -y chromium (or set CHROMIUM_PATH)");
const browser = await chromium.launch({ executablePath, args: LAUNCH_FLAGS });
try {
  assetSizes();
  await promptReady(browser);
  await previewLatency(browser, "small", Array.from({ length: runs }, (_, i) => photoLike(256, i + 1)));
  await previewLatency(browser, "1024x1024", Array.from({ length: runs }, (_, i) => photoLike(1024, i + 1)));
  await previewLatency(browser, "worst case: 1536x1536 noise", Array.from({ length: runs }, (_, i) => noisyPng(1536, i + 1)));
  await largeLibrary(browser);
  await historyBytes(browser);
} finally {
  await browser.close();
}
