/**
 * An edit's images and mask, checked at the boundary so a bad one is a 400 naming its field: uploads and data URLs
 * are sniffed like CLI references (HTML, SVG and the rest refused); only http(s) and data: URLs are taken from JSON,
 * never a path on this machine.
 */
import { open, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { base64Problem } from "../images/base64.js";
import { downloadImage } from "../images/refs.js";
import { pngHasAlpha, sniffImage } from "../images/sniff.js";
import type { ImageRef } from "./fields.js";
import type { Upload } from "./multipart.js";
import { badRequest } from "./openai-errors.js";

/** Enough of a PNG to find its colour type or a tRNS chunk before the image data. */
const MASK_HEAD_BYTES = 1024 * 1024;
const SNIFF_BYTES = 64;

async function head(path: string, bytes: number): Promise<Buffer> {
  const file = await open(path, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await file.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

const notAnImage = (param: string, what: string) => badRequest(param, `${what} is not a PNG, JPEG, GIF or WebP image; convert it to one of those.`);

/** Uploaded images, in order, as reference paths for the run. */
export async function uploadedImages(uploads: Upload[]): Promise<string[]> {
  if (uploads.length === 0) throw badRequest("image", "image is required: upload one or more image files (image or image[]).");
  for (const upload of uploads) {
    if (sniffImage(await head(upload.path, SNIFF_BYTES)) === null) throw notAnImage("image", `image "${upload.filename}"`);
  }
  return uploads.map((upload) => upload.path);
}

async function checkMask(path: string, what: string): Promise<string> {
  const data = await head(path, MASK_HEAD_BYTES);
  if (sniffImage(data)?.mime !== "image/png" || !pngHasAlpha(data)) {
    throw badRequest("mask", `${what} must be a PNG with an alpha channel (transparent where the image should change).`);
  }
  return path;
}

export function uploadedMask(upload: Upload | undefined): Promise<string | undefined> {
  return upload === undefined ? Promise.resolve(undefined) : checkMask(upload.path, `mask "${upload.filename}"`);
}

function fileIdRefused(param: string): Error {
  return badRequest(param, `${param}: file_id is not supported here; send the image itself as a data: URL in image_url, or upload it as a multipart file.`);
}

/** An `{image_url}` object's URL: only http(s) and data: URLs, never a path on this machine. */
function imageUrl(ref: ImageRef, param: string): string {
  if (ref.file_id !== undefined) throw fileIdRefused(`${param}.file_id`);
  if (ref.image_url === undefined) throw badRequest(`${param}.image_url`, `${param}.image_url is required.`);
  if (!/^(https?:\/\/|data:)/i.test(ref.image_url)) throw badRequest(`${param}.image_url`, `${param}.image_url must be an http(s):// URL or a data:image/...;base64 URL.`);
  return ref.image_url;
}

/** JSON `images: [{image_url}]`: http(s) or data: URLs, passed to the run as they are. */
export function jsonImages(refs: ImageRef[]): string[] {
  return refs.map((ref, index) => imageUrl(ref, `images[${index}]`));
}

const MASK_URL = "mask.image_url";

/** The mask's bytes: downloaded (size cap, timeout) from an http(s) URL, or decoded from a base64 data: URL. */
async function maskBytes(url: string, signal: AbortSignal): Promise<Buffer> {
  if (/^https?:\/\//i.test(url)) {
    if (!URL.canParse(url)) throw badRequest(MASK_URL, `${MASK_URL} is not a valid URL.`);
    return (await downloadImage(url, MASK_URL, { signal, instead: "send the mask as a data: URL or upload it as a multipart file" })).data;
  }
  const match = /^data:([^;,]*)(?:;[^;,]*)*;base64,/i.exec(url);
  if (match === null) throw badRequest(MASK_URL, `${MASK_URL} must be a base64 data: URL (data:image/png;base64,...) or an http(s):// URL.`);
  const payload = url.slice(match[0].length);
  const problem = base64Problem(payload);
  if (problem !== null) throw badRequest(MASK_URL, `${MASK_URL} is not valid base64: ${problem}.`);
  return Buffer.from(payload, "base64");
}

/** JSON `mask: {image_url}`: an http(s) or data: URL, saved in `dir` and checked like an upload. */
export async function jsonMask(ref: ImageRef | undefined, dir: string, signal: AbortSignal): Promise<string | undefined> {
  if (ref === undefined) return undefined;
  const data = await maskBytes(imageUrl(ref, "mask"), signal);
  const path = join(dir, "mask");
  await writeFile(path, data, { flag: "wx" });
  return checkMask(path, MASK_URL);
}
