/** The package version, injected by the build (tests that run the sources read package.json instead). */
import { readFileSync } from "node:fs";

declare const __CODEX_IMAGEN_VERSION__: string | undefined;

function readPackageVersion(): string {
  const packageJson = new URL("../package.json", import.meta.url);
  return (JSON.parse(readFileSync(packageJson, "utf8")) as { version: string }).version;
}

export const VERSION: string =
  typeof __CODEX_IMAGEN_VERSION__ === "string" ? __CODEX_IMAGEN_VERSION__ : readPackageVersion();
