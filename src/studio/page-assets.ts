/** The page: the committed, built files under scripts/studio/ (index.html and its hashed JS and CSS), read once at start and served from memory. */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { IoError } from "../errors.js";

/** The studio's chunk lives in scripts/lib/; the page's files beside it in scripts/studio/. */
export const DEFAULT_ASSETS_DIR = fileURLToPath(new URL("../studio/", import.meta.url));

const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8" };

/** No inline script or style, nothing from another host; images may also be data: and blob: (previews, canvases). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

interface Asset {
  body: Uint8Array;
  type: string;
  etag: string;
}

export interface PageAssets {
  /** The page itself, never cached (it names the current asset files). */
  page(): Response;
  /** A hashed asset by exact name, cached for a year; undefined for any other name. */
  asset(name: string, ifNoneMatch: string | undefined): Response | undefined;
}

export async function loadPageAssets(dir = DEFAULT_ASSETS_DIR): Promise<PageAssets> {
  const files = new Map<string, Asset>();
  try {
    for (const name of await readdir(dir)) {
      const type = TYPES[extname(name)];
      if (type === undefined) continue;
      const body = await readFile(join(dir, name));
      files.set(name, { body, type, etag: `"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"` });
    }
  } catch (error) {
    throw new IoError(`The studio's page files are missing from ${dir}; reinstall codex-imagen or run \`npm run build\`.`, error);
  }
  const index = files.get("index.html");
  if (index === undefined) throw new IoError(`The studio's page (index.html) is missing from ${dir}; reinstall codex-imagen or run \`npm run build\`.`);
  files.delete("index.html");
  return {
    page: () => new Response(index.body, { headers: { "content-type": index.type, "cache-control": "no-cache", ...SECURITY_HEADERS } }),
    asset(name, ifNoneMatch) {
      const file = files.get(name);
      if (file === undefined) return undefined;
      const headers = { "content-type": file.type, "cache-control": "public, max-age=31536000, immutable", etag: file.etag, ...SECURITY_HEADERS };
      if (ifNoneMatch === file.etag) return new Response(null, { status: 304, headers });
      return new Response(file.body, { headers });
    },
  };
}
