/** Request bodies under a size cap: a declared length over it is refused before reading, a body that grows past it is cut off. */
import type { IncomingMessage } from "node:http";
import { badRequest, tooLarge } from "./openai-errors.js";

export const MB = 1024 * 1024;

function limitText(limit: number): string {
  return `${Math.round(limit / MB)} MB`;
}

/** The body's chunks, read from node's request; throws 413 as soon as `content-length` or the bytes read pass `limit`. */
export async function* cappedBody(incoming: IncomingMessage, limit: number, what: string): AsyncGenerator<Buffer> {
  const declared = Number(incoming.headers["content-length"] ?? "");
  if (declared > limit) throw tooLarge(undefined, `The ${what} body is ${(declared / MB).toFixed(1)} MB; at most ${limitText(limit)} is accepted.`);
  let total = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > limit) throw tooLarge(undefined, `The ${what} body is larger than ${limitText(limit)}, the most accepted.`);
    yield chunk;
  }
}

/** The whole body as bytes, at most `limit`. */
export async function readBody(incoming: IncomingMessage, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of cappedBody(incoming, limit, what)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** A JSON object body, at most `limit` bytes. */
export async function readJsonObject(incoming: IncomingMessage, limit: number, what: string): Promise<Record<string, unknown>> {
  const body = await readBody(incoming, limit, what);
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    throw badRequest(undefined, "The request body is not valid JSON; send a JSON object with content-type application/json.");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw badRequest(undefined, "The request body must be a JSON object.");
  return json as Record<string, unknown>;
}
