/** A multipart edit body (busboy): `image`/`image[]` and `mask` files streamed to disk under size caps, text fields kept. */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";
import { cappedBody, MB } from "./body.js";
import { badRequest, HttpError, tooLarge } from "./openai-errors.js";

export interface Upload {
  /** `image` or `mask`. */
  field: "image" | "mask";
  /** The client's file name, for messages only. */
  filename: string;
  /** Absolute path of the saved upload. */
  path: string;
}

export interface MultipartBody {
  fields: Record<string, string>;
  /** The `image` / `image[]` files, in the order sent. */
  images: Upload[];
  mask: Upload | undefined;
}

export interface MultipartLimits {
  /** The whole body. */
  totalBytes: number;
  /** Each file. */
  fileBytes: number;
  maxImages: number;
}

const FIELD_BYTES = MB;
const MAX_FIELDS = 100;

function fileField(name: string): Upload["field"] | undefined {
  if (name === "image" || name === "image[]") return "image";
  return name === "mask" ? "mask" : undefined;
}

const uploadFailed = (error: unknown): Error =>
  badRequest(undefined, `The multipart body could not be read (${error instanceof Error ? error.message : String(error)}).`);

/** Reads the body into `dir`; rejects with a 400 or 413 answer naming the field. */
export async function readMultipart(incoming: IncomingMessage, dir: string, limits: MultipartLimits): Promise<MultipartBody> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": incoming.headers["content-type"] ?? "" },
      limits: { fileSize: limits.fileBytes, files: limits.maxImages + 1, fields: MAX_FIELDS, fieldSize: FIELD_BYTES },
    });
  } catch {
    throw badRequest(undefined, "An edit needs a multipart/form-data body (image files and fields) or a JSON body with images: [{image_url}].");
  }
  const body: MultipartBody = { fields: {}, images: [], mask: undefined };
  const writes: Array<Promise<void>> = [];
  let failure: Error | undefined;
  const fail = (error: Error): void => {
    failure ??= error;
  };

  parser.on("file", (name, file, info) => {
    const field = fileField(name);
    if (field === undefined || failure !== undefined) return void file.resume();
    if (field === "mask" && body.mask !== undefined) {
      fail(badRequest("mask", "Send at most one mask."));
      return void file.resume();
    }
    if (field === "image" && body.images.length >= limits.maxImages) {
      fail(badRequest("image", `Send at most ${limits.maxImages} images.`));
      return void file.resume();
    }
    const upload: Upload = { field, filename: info.filename ?? field, path: join(dir, field === "mask" ? "mask" : `image-${body.images.length + 1}`) };
    if (field === "mask") body.mask = upload;
    else body.images.push(upload);
    file.on("limit", () => fail(tooLarge(field, `${field} "${upload.filename}" is larger than ${limits.fileBytes / MB} MB, the most accepted per image.`)));
    // Handled at once: a client that leaves mid-upload fails the stream, and an unhandled rejection would end the server.
    writes.push(pipeline(file, createWriteStream(upload.path, { flags: "wx" })).catch((error: unknown) => fail(uploadFailed(error))));
  });
  parser.on("field", (name, value, info) => {
    if (fileField(name) !== undefined) fail(badRequest(fileField(name), `${name} must be a file upload (multipart file part), not text.`));
    else if (info.valueTruncated) fail(tooLarge(name, `${name} is longer than ${FIELD_BYTES / MB} MB.`));
    else body.fields[name] = value;
  });
  parser.on("filesLimit", () => fail(badRequest("image", `Send at most ${limits.maxImages} images and one mask.`)));
  parser.on("fieldsLimit", () => fail(badRequest(undefined, `Send at most ${MAX_FIELDS} fields.`)));
  const parsed = new Promise<void>((resolve, reject) => {
    parser.on("close", resolve);
    parser.on("error", reject);
  });
  parsed.catch(() => undefined);

  try {
    for await (const chunk of cappedBody(incoming, limits.totalBytes, "edit")) {
      if (!parser.write(chunk)) await once(parser, "drain");
    }
    parser.end();
    await parsed;
    await Promise.all(writes);
  } catch (error) {
    parser.destroy();
    await Promise.allSettled(writes);
    if (error instanceof HttpError) throw error;
    throw failure ?? uploadFailed(error);
  }
  if (failure !== undefined) throw failure;
  return body;
}
