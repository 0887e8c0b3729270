/**
 * The studio's history and results in a real browser: paging, search, delete to the trash, copy to the
 * clipboard, what was asked against what came back, and a machine with no login.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { StudioLibrary } from "../../src/studio/library/index.js";
import { launchChromium } from "../support/chromium.js";
import { inPage, openStudio, setupStudio } from "../support/studio-fixture.js";
import { runRecord, writeLibraryImage } from "../support/studio-library-fixture.js";
import { makeTempDir } from "../support/run-cli.js";
import { startServe } from "../support/serve-fixture.js";

test("the history pages by 50, finds runs by prompt, and Delete moves a run's files to trash/", { timeout: 120_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (browser === undefined) return;
  const libraryDir = join(makeTempDir("codex-imagen-studio-"), "library");
  const library = await StudioLibrary.open(libraryDir);
  for (let i = 1; i <= 60; i++) {
    const at = new Date(Date.UTC(2026, 10, 1, 8, 0, i));
    const image = writeLibraryImage(libraryDir, `codex-imagen-20261101-080000-000-${i}-ig_run${i}.png`);
    await library.appendRun(runRecord(library, { prompt: i === 7 ? "a lantern in the harbour" : `ordinary picture ${i}`, images: [image] }, at));
  }
  const studio = await setupStudio(t, { libraryDir });
  const { page, assertClean } = await openStudio(browser, studio.server);
  const history = page.getByRole("region", { name: "History" });
  await history.getByText("60 runs").waitFor();
  assert.equal(await history.getByRole("listitem").count(), 50, "a page of 50");
  await history.getByRole("button", { name: "Load more" }).click();
  await history.getByText("ordinary picture 1", { exact: true }).waitFor();
  assert.equal(await history.getByRole("listitem").count(), 60);

  await page.getByRole("searchbox", { name: "Search prompts" }).fill("harbour lantern");
  await history.getByText("1 run match").waitFor();
  assert.equal(await history.getByRole("listitem").count(), 1);
  const found = history.getByRole("listitem").first();
  await found.getByText("a lantern in the harbour").waitFor();

  const imagePath = join(libraryDir, "images", "codex-imagen-20261101-080000-000-7-ig_run7.png");
  assert.ok(existsSync(imagePath));
  await found.getByRole("button", { name: /^Delete run/ }).click();
  await found.getByRole("button", { name: "Confirm delete" }).click();
  await history.getByText("No run matches.").waitFor();
  assert.ok(!existsSync(imagePath), "the image left images/");
  assert.deepEqual(readdirSync(join(libraryDir, "trash", "images")), ["codex-imagen-20261101-080000-000-7-ig_run7.png"], "and is in trash/, not unlinked");
  const lines = await studio.untilLibraryLines(61);
  assert.equal(lines.at(-1)?.type, "delete", "a tombstone is appended");
  assertClean();
});

test("Copy image puts a PNG on the clipboard (a JPEG result converted); a result of another size than asked is flagged in words", { timeout: 120_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (browser === undefined) return;
  const studio = await setupStudio(t);
  const { page, assertClean } = await openStudio(browser, studio.server);
  // A real JPEG, made by the browser itself (nothing here encodes one).
  const jpeg = Buffer.from(
    await inPage<string>(
      page,
      `new Promise((resolve) => { const canvas = document.createElement("canvas"); canvas.width = 1024; canvas.height = 1024; const context = canvas.getContext("2d"); context.fillStyle = "#3a7"; context.fillRect(0, 0, 1024, 1024); canvas.toBlob((blob) => blob.arrayBuffer().then((buffer) => resolve(btoa(String.fromCharCode(...new Uint8Array(buffer))))), "image/jpeg"); })`,
    ),
    "base64",
  );
  studio.backend.enqueue({ kind: "images", images: [{ data: jpeg, size: "1024x1024", outputFormat: "jpeg" }] });
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: studio.server.origin });
  await page.getByRole("textbox", { name: "Prompt", exact: true }).fill("a wide harbour");
  await page.getByRole("combobox", { name: "Size", exact: true }).selectOption("1536x1024");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  const card = page.getByRole("region", { name: "Results" }).getByRole("article", { name: "Result 1" });
  await card.getByText("not what was asked").waitFor();
  await card.getByText("Details", { exact: true }).click();
  await card.getByText("asked 1536x1024, got 1024x1024").waitFor();

  await card.getByRole("button", { name: "Copy image" }).click();
  await page.getByText("Image copied to the clipboard.").waitFor({ state: "attached" });
  const copied = await inPage<string[]>(page, "navigator.clipboard.read().then((items) => items.flatMap((item) => item.types))");
  assert.deepEqual(copied, ["image/png"]);
  assertClean();
});

test("opening a run of the history while another goes on: the live run stays stoppable and comes back", { timeout: 120_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (browser === undefined) return;
  const studio = await setupStudio(t);
  const { page, assertClean } = await openStudio(browser, studio.server);
  const prompt = page.getByRole("textbox", { name: "Prompt", exact: true });
  await prompt.fill("an earlier fox");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  const results = page.getByRole("region", { name: "Results" });
  await results.getByText(/^Done in/).waitFor();

  studio.backend.enqueue({ kind: "stall", afterImages: 0, images: [{ partials: 1 }] });
  await prompt.fill("a slow owl");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await results.getByRole("img", { name: "Result 1 (preview)" }).waitFor();
  await page.getByRole("region", { name: "History" }).getByRole("button", { name: "Open run: an earlier fox" }).click();
  await results.getByRole("img", { name: /^Result 1: an earlier fox/ }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Stop", exact: true }).isEnabled(), true, "the run going on can still be stopped");
  assert.equal(await page.getByRole("button", { name: "Generate", exact: true }).isEnabled(), false);
  await results.getByRole("button", { name: "Back to the running run" }).click();
  await results.getByRole("img", { name: "Result 1 (preview)" }).waitFor();
  assert.equal(await results.getByText("a slow owl", { exact: true }).count(), 1);
  await page.getByRole("button", { name: "Stop", exact: true }).click();
  await results.getByText(/^Stopped/).waitFor();
  assertClean();
});

test("no login: the account panel and a run say which command logs in", { timeout: 120_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (browser === undefined) return;
  const server = await startServe(["--no-open", "--library", join(makeTempDir("codex-imagen-studio-"), "library")], { door: "studio" });
  t.after(() => server.stop());
  const { page, assertClean, errors } = await openStudio(browser, server);
  await page.getByRole("region", { name: "Account" }).getByText(/codex login/).waitFor();
  await page.getByRole("textbox", { name: "Prompt", exact: true }).fill("a fox");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await page.getByRole("region", { name: "Results" }).getByRole("alert").getByText(/log in with .*codex login/).waitFor();
  assert.deepEqual(errors, []);
  assertClean();
});
