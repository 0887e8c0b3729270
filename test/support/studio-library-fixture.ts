/** A studio library in a temp dir, run records and image files for its tests and benchmark. */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderPlaceholder } from "../../src/images/png.js";
import { StudioLibrary, type LibraryFile, type LibraryImage, type RunRecord } from "../../src/studio/library/index.js";
import { makeTempDir } from "./run-cli.js";

export interface OpenedLibrary {
  library: StudioLibrary;
  dir: string;
  warnings: string[];
}

export async function openLibrary(dir = join(makeTempDir("codex-imagen-studio-"), "studio")): Promise<OpenedLibrary> {
  const warnings: string[] = [];
  const library = await StudioLibrary.open(dir, { onWarning: (message) => warnings.push(message) });
  return { library, dir, warnings };
}

/** A run as the studio records it; `id` and `time` from `now`. */
export function runRecord(library: StudioLibrary, fields: Partial<RunRecord> = {}, now = new Date()): RunRecord {
  return {
    id: library.newRunId(now),
    time: now.toISOString(),
    kind: "generate",
    prompt: "a lighthouse at dusk, oil painting",
    options: { size: "1024x1024", quality: "high" },
    references: [],
    mask: null,
    parent: null,
    images: [],
    warnings: [],
    usage: { input_tokens: 12, output_tokens: 4160 },
    request_ids: ["req_1"],
    error: null,
    elapsed_ms: 41_200,
    requested: { size: "1024x1024", quality: "high", background: null, output_format: null, image_model: null, count: 1 },
    model: "gpt-5.5",
    backend: "responses",
    ...fields,
  };
}

/** Writes a small PNG as `<area>/<name>` of the library and describes it as the records do. */
export function writeLibraryImage(dir: string, name: string, area: "images" | "inputs" = "images", side = 16): LibraryImage {
  const data = renderPlaceholder(name, side, side);
  writeFileSync(join(dir, area, name), data);
  return { ...describeFile(`${area}/${name}`, data, side, side), revised_prompt: null, quality: null, output_format: null, request_index: null };
}

export function describeFile(path: string, data: Buffer, width: number | null, height: number | null): LibraryFile {
  return { path, sha256: createHash("sha256").update(data).digest("hex"), mime: "image/png", width, height, bytes: data.length };
}

/** `ms` milliseconds after a fixed start: times (and so run ids) tests can order without waiting. */
export function timeAt(ms: number): Date {
  return new Date(Date.UTC(2026, 10, 25, 10, 0, 0) + ms);
}

/** A lossless WebP header of the given size (nothing decodes its pixels; the library reads only the header). */
export function webpHeader(width: number, height: number): Buffer {
  const payload = Buffer.alloc(8);
  payload[0] = 0x2f;
  payload.writeUInt32LE(((width - 1) | ((height - 1) << 14)) >>> 0, 1);
  const chunk = Buffer.concat([Buffer.from("VP8L"), u32le(payload.length), payload]);
  return Buffer.concat([Buffer.from("RIFF"), u32le(4 + chunk.length), Buffer.from("WEBP"), chunk]);
}

function u32le(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return buffer;
}
