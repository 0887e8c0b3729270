/** `Authorization: Bearer <key>` against `--api-key`, compared in constant time. */
import { createHash, timingSafeEqual } from "node:crypto";
import { HttpError } from "./openai-errors.js";

// Hashing first gives equal lengths, so the comparison time says nothing about the key.
const digest = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest();

/** Throws the 401 answer unless `authorization` carries exactly `key`; the given value is never echoed. */
export function checkBearer(authorization: string | undefined, key: string): void {
  const given = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? "")?.[1];
  if (given === undefined) {
    throw new HttpError(401, "Missing API key: send the key codex-imagen serve was started with as `Authorization: Bearer <key>`.", { code: "invalid_api_key" });
  }
  if (!timingSafeEqual(digest(given), digest(key))) {
    throw new HttpError(401, "Incorrect API key provided: use the key codex-imagen serve was started with (--api-key or CODEX_IMAGEN_API_KEY).", { code: "invalid_api_key" });
  }
}
