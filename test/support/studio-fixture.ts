/** `codex-imagen studio` from the bundle against the fake backend, and its page in headless Chromium with everything it logs and fetches recorded. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestContext } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { LibraryLine } from "../../src/studio/library/records.js";
import { PAGE_HEADER } from "../../src/studio/protocol.js";
import { makeTempDir } from "./run-cli.js";
import { setupServe, type ServeFixture, type ServeFixtureOptions } from "./serve-fixture.js";
import { untilFile } from "./until-file.js";

/** The header the studio's page sends on every API call (requests without it are refused). */
export const PAGE = { [PAGE_HEADER]: "1" };

export interface StudioFixture extends ServeFixture {
  libraryDir: string;
  /** The lines of library.jsonl so far. */
  libraryLines(): LibraryLine[];
  /** Resolves with the lines once library.jsonl holds at least `count` (the server writes them on its own time). */
  untilLibraryLines(count: number): Promise<LibraryLine[]>;
}


export async function setupStudio(t: TestContext, options: ServeFixtureOptions & { libraryDir?: string } = {}): Promise<StudioFixture> {
  const libraryDir = options.libraryDir ?? join(makeTempDir("codex-imagen-studio-"), "library");
  const fixture = await setupServe(t, { ...options, door: "studio", args: ["--no-open", "--library", libraryDir, ...(options.args ?? [])] });
  const libraryLines = (): LibraryLine[] =>
    readFileSync(join(libraryDir, "library.jsonl"), "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as LibraryLine);
  const untilLibraryLines = (count: number): Promise<LibraryLine[]> =>
    untilFile(libraryDir, () => {
      const lines = libraryLines();
      return lines.length >= count ? lines : undefined;
    }, `library.jsonl reaching ${count} lines`);
  return { ...fixture, libraryDir, libraryLines, untilLibraryLines };
}

export interface StudioPage {
  page: Page;
  /** Console errors and uncaught exceptions of the page. */
  errors: string[];
  /** Every URL the page requested. */
  requests: string[];
  /** Asserts no console error happened and nothing was requested from anywhere but the studio (or the page's own blob:/data: URLs). */
  assertClean(): void;
}

export interface OpenOptions {
  width?: number;
  height?: number;
  colorScheme?: "light" | "dark";
  /** Wait for the prompt (default), or only for the page to load (a key-protected studio asks for its key first). */
  ready?: "prompt" | "load";
}

export async function openStudio(browser: Browser, studio: { origin: string; url: string }, options: OpenOptions = {}): Promise<StudioPage> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 }, colorScheme: options.colorScheme ?? "light" });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  page.on("request", (request) => requests.push(request.url()));
  await page.goto(studio.url);
  if (options.ready !== "load") await page.getByRole("textbox", { name: "Prompt", exact: true }).waitFor();
  return {
    page,
    errors,
    requests,
    assertClean() {
      assert.deepEqual(errors, [], "no console errors");
      const elsewhere = requests.filter((url) => !url.startsWith(`${studio.origin}/`) && !url.startsWith("blob:") && !url.startsWith("data:"));
      assert.deepEqual(elsewhere, [], "no request leaves the studio's own origin");
    },
  };
}

/** Runs `expression` in the page (as text: the type checker here knows Node, not the DOM). */
export async function inPage<T>(page: Page, expression: string): Promise<T> {
  return (await page.evaluate(expression)) as T;
}
