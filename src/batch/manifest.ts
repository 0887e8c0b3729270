/** `manifest.jsonl` in the batch output directory: one record per finished job, appended and flushed; an id's last record wins. */
import { mkdir, open, readFile, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import * as z from "zod/mini";
import type { RequestedOptions, ResultWarning } from "../result.js";
import { requestedSchema, warningSchema } from "../schema/honest-result.js";
import { tolerant } from "../schema/tolerant.js";

export const MANIFEST_NAME = "manifest.jsonl";

/** One saved image of a finished job. */
export interface ManifestImage {
  path: string;
  sha256: string;
  bytes: number;
  /** `WxH` of the saved image, when its type says. */
  size: string | null;
  quality: string | null;
  request_id: string | null;
}

/** One line of `manifest.jsonl`: a finished job. */
export interface ManifestRecord {
  id: string;
  /** The job's line in the batch file (position in the library's list): the gallery's order. */
  line?: number;
  status: "done" | "failed";
  prompt: string;
  model: string | null;
  images: ManifestImage[];
  error: { code: string; message: string } | null;
  request_ids: string[];
  elapsed_ms: number;
  finished_at: string;
  /** What was asked (absent in records of older versions). */
  requested?: RequestedOptions;
  /** Images that differ from what was asked; `image_index` counts `images`. */
  warnings?: ResultWarning[];
  /** The batch's image defaults the job took (job field → value); absent from records of earlier versions. */
  defaults?: Record<string, string>;
}

const imageSchema = z.object({
  path: z.string(),
  sha256: z.string(),
  bytes: z.number(),
  size: z.nullable(z.string()),
  quality: z.nullable(z.string()),
  request_id: z.nullable(z.string()),
}) satisfies z.ZodMiniType<ManifestImage>;

const recordSchema = z.object({
  id: z.string(),
  line: z.optional(z.number()),
  status: z.enum(["done", "failed"]),
  prompt: z.string(),
  model: z.nullable(z.string()),
  images: z.array(imageSchema),
  error: z.nullable(z.object({ code: z.string(), message: z.string() })),
  request_ids: z.array(z.string()),
  elapsed_ms: z.number(),
  finished_at: z.string(),
  // Informational: a malformed value is dropped, never the record (that would redo a finished job).
  requested: tolerant(requestedSchema),
  warnings: tolerant(z.array(warningSchema)),
  defaults: z.optional(z.record(z.string(), z.string())),
}) satisfies z.ZodMiniType<ManifestRecord>;


export interface Manifest {
  /** The last record of every id, in the order ids first appeared. */
  records: Map<string, ManifestRecord>;
  /** Lines that are not records (e.g. cut short by a power loss); they are skipped. */
  ignoredLines: number[];
}

export function manifestPath(dir: string): string {
  return join(dir, MANIFEST_NAME);
}

export async function readManifest(dir: string): Promise<Manifest> {
  const records = new Map<string, ManifestRecord>();
  const ignoredLines: number[] = [];
  let text: string;
  try {
    text = await readFile(manifestPath(dir), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { records, ignoredLines };
    throw error;
  }
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    let parsed: ReturnType<typeof recordSchema.safeParse>;
    try {
      parsed = recordSchema.safeParse(JSON.parse(line));
    } catch {
      ignoredLines.push(index + 1);
      return;
    }
    if (parsed.success) records.set(parsed.data.id, parsed.data);
    else ignoredLines.push(index + 1);
  });
  return { records, ignoredLines };
}

/**
 * Appends one line per record; each append resolves once its line is on disk. Records that arrive while a write and
 * its disk sync are under way go out together in the next one, so many jobs finishing at once share one sync.
 */
export class ManifestWriter {
  #pending: Array<{ line: string; resolve: () => void; reject: (error: unknown) => void }> = [];
  #draining: Promise<void> | undefined;

  private constructor(private readonly handle: FileHandle) {}

  static async open(dir: string): Promise<ManifestWriter> {
    await mkdir(dir, { recursive: true });
    const handle = await open(manifestPath(dir), "a+");
    // A line cut short (power loss) must not swallow the next record: start on a fresh line.
    const { size } = await handle.stat();
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) await handle.write("\n");
    }
    return new ManifestWriter(handle);
  }

  append(record: ManifestRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ line: `${JSON.stringify(record)}\n`, resolve, reject });
      this.#draining ??= this.#drain();
    });
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0);
      try {
        await this.handle.write(batch.map((entry) => entry.line).join(""));
        await this.handle.datasync();
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.#draining = undefined;
  }

  async close(): Promise<void> {
    await this.#draining;
    await this.handle.close();
  }
}
