/** `GET /v1/images/files/<name>`: a kept image by its exact generated name; no path ever comes from the request. */
import { createReadStream } from "node:fs";
import { lstat } from "node:fs/promises";
import { extname, join } from "node:path";
import { Readable } from "node:stream";
import { isAutoName } from "../images/names.js";
import { HttpError } from "./openai-errors.js";

const TYPES: Record<string, string> = { ".png": "image/png", ".jpg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp" };

export const notFound = (what: string): HttpError => new HttpError(404, `${what} was not found.`, { code: "not_found" });

/** The file's answer, or a 404 for anything but a regular file with a generated name directly in `keepDir`. */
export async function keptFile(keepDir: string | undefined, name: string): Promise<Response> {
  if (keepDir === undefined || !isAutoName(name)) throw notFound("That image");
  const path = join(keepDir, name);
  const stats = await lstat(path).catch(() => undefined);
  if (!stats?.isFile()) throw notFound("That image");
  const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  return new Response(body, { headers: { "content-type": TYPES[extname(name)] ?? "application/octet-stream", "content-length": String(stats.size) } });
}
