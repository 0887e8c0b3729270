/** Headless Chromium for the browser tests: Debian's `chromium` on PATH, or CHROMIUM_PATH. */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

export const CHROMIUM_INSTALL = "apt-get install -y chromium (or set CHROMIUM_PATH)";
export const LAUNCH_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

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
