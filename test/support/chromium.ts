/** Headless Chromium for the browser tests: Debian's `chromium` (or CHROMIUM_PATH), driven by playwright-core; skipped without one, except under CI. */
import assert from "node:assert/strict";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import type { TestContext } from "node:test";
import { type Browser, chromium } from "playwright-core";

const INSTALL = "apt-get install -y chromium (or set CHROMIUM_PATH)";
// Without the background-networking flags Chromium tries to reach Google's hosts, which this machine refuses.
export const LAUNCH_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Where screenshots go (`test-artifacts/`, not committed). */
export const ARTIFACTS = process.env.TEST_ARTIFACTS_DIR ?? join(import.meta.dirname ?? process.cwd(), "..", "..", "test-artifacts");

export function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    try {
      accessSync(join(dir, "chromium"), constants.X_OK);
      return join(dir, "chromium");
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** A browser closed after the test; undefined (and the test skipped) when there is no Chromium outside CI. `args` are added to the usual flags. */
export async function launchChromium(t: TestContext, args: readonly string[] = []): Promise<Browser | undefined> {
  const executablePath = findChromium();
  if (executablePath === undefined) {
    assert.ok(process.env.CI !== "true", `CI must run the browser tests: ${INSTALL}`);
    t.skip(`no Chromium found: ${INSTALL}`);
    return undefined;
  }
  const browser = await chromium.launch({ executablePath, args: [...LAUNCH_FLAGS, ...args] });
  t.after(() => browser.close());
  return browser;
}
