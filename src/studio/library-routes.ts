/** The library over HTTP: uploads of references and masks, the run history (list, one run, delete), composites, thumbnails, and the files themselves. */
import { mkdtemp, open, rm } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { Context, Hono } from "hono";
import { sniffImage } from "../images/sniff.js";
import { cappedBody, MB, readBody } from "../serve/body.js";
import type { ServeEnv } from "../serve/hono-env.js";
import { notFound } from "../serve/kept-files.js";
import { badRequest, HttpError } from "../serve/openai-errors.js";
import { type StudioLibrary, LibraryNotFoundError, MAX_PAGE } from "./library/index.js";
import { libraryFileUrl, pageFile, pageImage, pageRun } from "./page-run.js";
import { API, FILES, type RunPage } from "./protocol.js";

const UPLOAD_BYTES = 50 * MB;
const THUMB_BYTES = MB;

/** An upload written to a temp file as it arrives (it may be tens of MB), handed to the library, then removed. */
async function withUpload<T>(c: Context<ServeEnv>, tempRoot: string, use: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tempRoot, "studio-upload-"));
  try {
    const path = join(dir, "upload");
    const file = await open(path, "w");
    try {
      for await (const chunk of cappedBody(c.env.incoming, UPLOAD_BYTES, "image")) await file.write(chunk);
    } finally {
      await file.close();
    }
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A run or image the library does not have is a 404, with the library's own words. */
async function found<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof LibraryNotFoundError) throw new HttpError(404, error.message, { code: "not_found" });
    throw error;
  }
}

function limitOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE) throw badRequest("limit", `limit must be a whole number from 1 to ${MAX_PAGE}.`);
  return value;
}

function indexOf(text: string | undefined): number {
  const value = Number(text);
  if (text === undefined || !Number.isInteger(value) || value < 0) throw badRequest("of", "of must name the result image the composite was made from (0, 1, ...).");
  return value;
}

/** A URL path segment as text; a malformed escape names no file. */
function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw notFound("That file");
  }
}

/** A library file with its sniffed type; never anything outside the library's images/, inputs/ and thumbs/. */
async function libraryFile(library: StudioLibrary, path: string): Promise<Response> {
  const found = await library.resolveFile(path);
  if (found === undefined) throw notFound("That file");
  // One handle for the check, the size and the body: the file may move to the trash, or a thumbnail be redrawn, meanwhile.
  const file = await open(found, "r").catch(() => {
    throw notFound("That file");
  });
  let answer: Response | undefined;
  try {
    const head = Buffer.alloc(64);
    await file.read(head, 0, head.length, 0);
    const { size } = await file.stat();
    const type = sniffImage(head)?.mime;
    if (type === undefined) throw notFound("That file");
    // Images and inputs never change under their name (they only move to the trash); a thumbnail is replaced when redrawn.
    const caching = path.startsWith("thumbs/") ? "no-cache" : "private, max-age=31536000, immutable";
    // Same-origin only: a page elsewhere that guessed a file's name cannot even show it in an <img> (which sends no Origin).
    const headers = { "content-type": type, "content-length": String(size), "cache-control": caching, "x-content-type-options": "nosniff", "cross-origin-resource-policy": "same-origin" };
    // Exactly the bytes counted: a thumbnail redrawn meanwhile cannot make the body disagree with its length.
    const body = Readable.toWeb(file.createReadStream({ start: 0, end: size - 1 })) as ReadableStream<Uint8Array>;
    answer = new Response(body, { headers });
    return answer;
  } finally {
    if (answer === undefined) await file.close();
  }
}

export function registerLibraryRoutes(app: Hono<ServeEnv>, library: StudioLibrary, tempRoot: string): void {
  app.post(`${API}/inputs`, async (c) => c.json(pageFile(await withUpload(c, tempRoot, (path) => library.importInput(path)))));

  app.get(`${API}/runs`, async (c) => {
    const query = c.req.query("q")?.trim();
    const page = await library.list({ limit: limitOf(c.req.query("limit")), before: c.req.query("before") || undefined, query: query || undefined });
    const answer: RunPage = { runs: await Promise.all(page.runs.map((run) => pageRun(run, library))), next: page.next, total: page.total };
    return c.json(answer);
  });

  app.get(`${API}/runs/:id`, async (c) => {
    const run = await library.get(c.req.param("id"));
    if (run === undefined) throw notFound("That run");
    return c.json(await pageRun(run, library));
  });

  app.delete(`${API}/runs/:id`, async (c) => {
    await found(library.delete(c.req.param("id")));
    return c.json({ deleted: c.req.param("id") });
  });

  app.post(`${API}/runs/:id/composites`, async (c) => {
    const image = await found(library.addComposite(c.req.param("id"), indexOf(c.req.query("of")), await readBody(c.env.incoming, UPLOAD_BYTES, "composite")));
    return c.json(await pageImage(image, library));
  });

  app.put(`${API}/thumbs`, async (c) => {
    const image = c.req.query("image");
    if (image === undefined) throw badRequest("image", "Say which library image the thumbnail is for: ?image=images/<name>.");
    const thumb = await found(library.saveThumb(image, await readBody(c.env.incoming, THUMB_BYTES, "thumbnail")));
    return c.json({ thumb_url: libraryFileUrl(thumb) });
  });

  app.get(`${FILES}/*`, (c) => libraryFile(library, decodedPath(c.req.path.slice(FILES.length + 1))));
}
