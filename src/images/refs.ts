import fs from "node:fs/promises";
import path from "node:path";
import { fetchWithProxy } from "../net/http.js";
import { UsageError } from "../errors.js";
import type { ReferenceKind, ReferenceSpec } from "../options.js";
import { base64Problem } from "./base64.js";
import type { PreparedReference } from "./image-item.js";
import { pngHasAlpha, sniffImage, typeName, type ImageMime } from "./sniff.js";

export const MAX_REFERENCE_BYTES = 50 * 1024 * 1024;
export const REMOTE_REFERENCE_TIMEOUT_MS = 30_000;

export interface ReferenceLoadOptions {
  /** Cancels remote downloads (Ctrl-C). */
  signal?: AbortSignal;
  /** Bounds each remote download, redirects and body included. */
  timeoutMs?: number;
  /** What a failed download suggests doing instead (default: pass the file with -i). */
  instead?: string;
}

const IMAGE_MIMES: readonly string[] = ["image/png", "image/jpeg", "image/gif", "image/webp"];
const FLAG: Record<ReferenceKind, string> = { any: "--input-ref", local: "-i/--image", url: "--image-url" };

/** Turns the reference flags into request-ready image URLs, in order; local files and remote images become data URLs. */
export async function loadReferences(specs: ReferenceSpec[], cwd: string, options: ReferenceLoadOptions = {}): Promise<PreparedReference[]> {
  const prepared: PreparedReference[] = [];
  for (const spec of specs) prepared.push(await loadReference(spec, cwd, options));
  return prepared;
}

async function loadReference(spec: ReferenceSpec, cwd: string, options: ReferenceLoadOptions): Promise<PreparedReference> {
  const { kind, value } = spec;
  const label = shortLabel(value);
  const isRemote = /^https?:\/\//i.test(value);
  const isDataUrl = /^data:/i.test(value);
  if (kind === "local" && (isRemote || isDataUrl)) {
    throw new UsageError(`${FLAG.local} takes a local file, not a URL (${label}); use --image-url or --input-ref for URLs.`, FLAG.local);
  }
  if (kind === "url" && !isRemote && !isDataUrl) {
    throw new UsageError(
      `${FLAG.url} takes an http(s):// URL or a data:image/...;base64 URL, not ${JSON.stringify(label)}; use -i/--image for local files.`,
      FLAG.url,
    );
  }
  if (isDataUrl) return { imageUrl: checkDataUrl(value, label, FLAG[kind]), label };
  if (isRemote) {
    if (!URL.canParse(value)) throw new UsageError(`${FLAG[kind]}: ${label} is not a valid URL.`, FLAG[kind]);
    // Fetched here, with a size cap and a timeout, so the backend gets bytes we have checked.
    return { imageUrl: toDataUrl(await downloadImage(value, FLAG[kind], options)), label };
  }
  const local = await readLocalImage(path.resolve(cwd, value), FLAG[kind]);
  return { imageUrl: toDataUrl(local), label };
}

/** `--mask`: a local PNG with an alpha channel, as a data URL. */
export async function loadMask(file: string): Promise<string> {
  const local = await readLocalImage(file, "--mask");
  if (local.mime !== "image/png" || !pngHasAlpha(local.data)) {
    throw new UsageError(`--mask: ${file} must be a PNG with an alpha channel (transparent where the image should change).`, "--mask");
  }
  return toDataUrl(local);
}

export interface LocalImage {
  data: Buffer;
  mime: ImageMime;
}

function toDataUrl(image: LocalImage): string {
  return `data:${image.mime};base64,${image.data.toString("base64")}`;
}

async function readLocalImage(file: string, flag: string): Promise<LocalImage> {
  let data: Buffer;
  try {
    // stat before open: opening a FIFO would block until something writes to it.
    const stats = await fs.stat(file);
    if (stats.isDirectory()) throw new UsageError(`${flag}: ${file} is a directory, not an image file.`, flag);
    if (!stats.isFile()) throw new UsageError(`${flag}: ${file} is not a regular file.`, flag);
    if (stats.size > MAX_REFERENCE_BYTES) throw tooLarge(flag, file, stats.size);
    data = await fs.readFile(file);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${flag}: cannot read ${file} (${describeFsError(error)}); check the path.`, flag);
  }
  // The file may have grown between stat and read.
  if (data.length > MAX_REFERENCE_BYTES) throw tooLarge(flag, file, data.length);
  const sniffed = sniffImage(data);
  if (sniffed === null) throw notAnImage(flag, file);
  return { data, mime: sniffed.mime };
}

/** A remote image, fetched with the size cap and the timeout; a failure is a UsageError naming `flag`. */
export async function downloadImage(url: string, flag: string, options: ReferenceLoadOptions): Promise<LocalImage> {
  const timeoutMs = options.timeoutMs ?? REMOTE_REFERENCE_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  const fallback = options.instead ?? "download it yourself and pass the file with -i";
  let data: Buffer;
  let served: string | null;
  try {
    const response = await fetchWithProxy(url, { signal, headers: { accept: IMAGE_MIMES.join(", ") } });
    served = response.headers.get("content-type");
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new UsageError(`${flag}: ${url} answered HTTP ${response.status}; check the URL, or ${fallback}.`, flag);
    }
    const declared = Number(response.headers.get("content-length") ?? "");
    if (declared > MAX_REFERENCE_BYTES) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge(flag, url, declared);
    }
    data = await readCapped(response.body, flag, url);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) throw new UsageError(`${flag}: ${url} did not download within ${timeoutMs / 1000} s; ${fallback}.`, flag);
    throw new UsageError(`${flag}: cannot download ${url} (${describeFetchError(error)}); check the URL and your network, or ${fallback}.`, flag);
  }
  const sniffed = sniffImage(data);
  if (sniffed === null) throw notAnImage(flag, served === null ? url : `${url} (served as ${served.split(";")[0]})`);
  return { data, mime: sniffed.mime };
}

/** The body, stopping as soon as it passes the size cap (a body that never ends included). */
async function readCapped(body: ReadableStream<Uint8Array> | null, flag: string, url: string): Promise<Buffer> {
  if (body === null) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  // Leaving the loop early cancels the stream, which closes the connection.
  for await (const chunk of body) {
    total += chunk.length;
    if (total > MAX_REFERENCE_BYTES) {
      throw new UsageError(`${flag}: ${url} sent more than 50 MB, so the download was stopped; reference images are limited to 50 MB. Use a smaller or compressed image.`, flag);
    }
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks, total);
}

function describeFetchError(error: unknown): string {
  // fetch() reports "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND...) in `cause`.
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** Data URLs go to the backend as typed, once the declared type and the decoded bytes agree. */
function checkDataUrl(value: string, label: string, flag: string): string {
  const comma = value.indexOf(",");
  const header = comma === -1 ? "" : value.slice("data:".length, comma).toLowerCase();
  const [mime = "", ...params] = header.split(";");
  if (comma === -1 || params.at(-1) !== "base64") {
    throw new UsageError(`${flag}: ${label} is not a base64 data URL; expected data:image/png;base64,<data>.`, flag);
  }
  if (!IMAGE_MIMES.includes(mime)) {
    throw new UsageError(`${flag}: ${label} declares ${mime || "no type"}; only image/png, image/jpeg, image/gif and image/webp are accepted.`, flag);
  }
  const payload = value.slice(comma + 1);
  if (Math.floor((payload.length * 3) / 4) > MAX_REFERENCE_BYTES) throw tooLarge(flag, label, Math.floor((payload.length * 3) / 4));
  const problem = base64Problem(payload);
  if (problem !== null) throw new UsageError(`${flag}: the data in ${label} is not valid base64: ${problem}.`, flag);
  // The type is in the first bytes: decode only a head, the full payload was validated above.
  const sniffed = sniffImage(Buffer.from(payload.slice(0, 64), "base64"));
  if (sniffed === null) throw notAnImage(flag, label);
  if (sniffed.mime !== mime) {
    throw new UsageError(`${flag}: ${label} declares ${mime} but holds ${typeName(sniffed.mime)} data; fix the data URL's type.`, flag);
  }
  return value;
}

function tooLarge(flag: string, what: string, bytes: number): UsageError {
  const mb = (bytes / (1024 * 1024)).toFixed(1);
  return new UsageError(`${flag}: ${what} is ${mb} MB; reference images are limited to 50 MB. Use a smaller or compressed image.`, flag);
}

function notAnImage(flag: string, what: string): UsageError {
  return new UsageError(`${flag}: ${what} is not a PNG, JPEG, GIF or WebP image; convert it to one of those.`, flag);
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "it is a directory";
  if (code === "ENOTDIR") return "a part of the path is not a directory";
  return code ?? (error instanceof Error ? error.message : String(error));
}

/** Data URLs can be megabytes long; messages and labels show their start only. */
function shortLabel(value: string): string {
  return value.length > 80 && /^data:/i.test(value) ? `${value.slice(0, 40)}… (${value.length} characters)` : value;
}
