/**
 * The real Codex CLI and OpenClaw, pinned, installed from npm into a cache folder outside the repo,
 * plus the Node 24 that OpenClaw needs (npm's per-platform Node package).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const CODEX_VERSION = "0.169.0";
export const OPENCLAW_VERSION = "2026.9.6";
export const NODE24_VERSION = "24.21.0";

const NODE_PACKAGE = `node-${process.platform}-${process.arch}`;

/** `${XDG_CACHE_HOME:-~/.cache}/codex-imagen-interop` (override with CODEX_IMAGEN_INTEROP_CACHE). */
export function cacheDir(): string {
  const override = process.env.CODEX_IMAGEN_INTEROP_CACHE;
  if (override !== undefined && override !== "") return override;
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg !== undefined && xdg !== "" ? xdg : join(homedir(), ".cache"), "codex-imagen-interop");
}

interface Pinned {
  /** Folder under the cache, used as `npm --prefix`. */
  dir: string;
  name: string;
  version: string;
}

const PINNED: readonly Pinned[] = [
  { dir: "node24", name: NODE_PACKAGE, version: NODE24_VERSION },
  { dir: "codex", name: "@openai/codex", version: CODEX_VERSION },
  { dir: "openclaw", name: "openclaw", version: OPENCLAW_VERSION },
];

const packageDir = (pin: Pinned) => join(cacheDir(), pin.dir, "node_modules", ...pin.name.split("/"));

function installedVersion(pin: Pinned): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(packageDir(pin), "package.json"), "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Installs whatever is missing or at another version; `log` gets one line per install. */
export function ensureInstalled(log: (line: string) => void): void {
  for (const pin of PINNED) {
    if (installedVersion(pin) === pin.version) continue;
    const prefix = join(cacheDir(), pin.dir);
    log(`installing ${pin.name}@${pin.version} into ${prefix} (first run only)`);
    // Install scripts stay off: npm 11 blocks them by default anyway, and both clients run without them.
    execFileSync("npm", ["install", "--no-save", "--no-package-lock", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", prefix, `${pin.name}@${pin.version}`], {
      stdio: ["ignore", "inherit", "inherit"],
    });
    if (installedVersion(pin) !== pin.version) throw new Error(`npm did not install ${pin.name}@${pin.version} into ${prefix}`);
  }
}

export interface Clients {
  /** Node 24 binary (OpenClaw needs >= 24.16). */
  node24: string;
  /** The Codex CLI's own npm launcher, run with node; it execs the native binary from the platform package. */
  codexLauncher: string;
  /** OpenClaw's CLI entry, run with `node24`. */
  openclawEntry: string;
  /** OpenClaw's bundled JS, to locate its own functions. */
  openclawDist: string;
}

/** The installed clients; throws with the fix when they are missing. */
export function clients(): Clients {
  const missing = PINNED.filter((pin) => installedVersion(pin) !== pin.version).map((pin) => `${pin.name}@${pin.version}`);
  if (missing.length > 0) throw new Error(`Missing ${missing.join(", ")} in ${cacheDir()}: run \`npm run test:interop\`, which installs them.`);
  const [node24, codex, openclaw] = PINNED.map(packageDir) as [string, string, string];
  const binary = join(node24, "bin", process.platform === "win32" ? "node.exe" : "node");
  const result = {
    node24: binary,
    codexLauncher: join(codex, "bin", "codex.js"),
    openclawEntry: join(openclaw, "openclaw.mjs"),
    openclawDist: join(openclaw, "dist"),
  };
  for (const path of Object.values(result)) if (!existsSync(path)) throw new Error(`${path} is missing: delete ${cacheDir()} and run \`npm run test:interop\` again.`);
  return result;
}
