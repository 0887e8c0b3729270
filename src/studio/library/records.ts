/**
 * The lines of `library.jsonl` and their zod/mini schemas: read tolerantly (unknown fields ignored, missing
 * lists and nullable fields filled in), the same schemas check what the studio appends.
 */
import * as z from "zod/mini";
import { tolerant } from "../../schema/tolerant.js";
import type { RequestedOptions, ResultWarning } from "../../result.js";
import { requestedSchema, warningSchema } from "../../schema/honest-result.js";
import type { StudioOptions } from "../options.js";
import { isAreaPath } from "./layout.js";

export const LINE_VERSION = 1;

/** A file of the library; `path` is relative to the library folder, with `/` separators. */
export interface LibraryFile {
  path: string;
  sha256: string;
  mime: "image/png" | "image/jpeg" | "image/gif" | "image/webp";
  width: number | null;
  height: number | null;
  bytes: number;
}

export interface LibraryImage extends LibraryFile {
  /** The backend's rewrite of the prompt; null for composites and when the backend sent none. */
  revised_prompt: string | null;
  /** The quality and format the backend declared (the file's real type is `mime`); null when it declared none. */
  quality: string | null;
  output_format: string | null;
  /** Which of the run's requests made it; null for composites. */
  request_index: number | null;
}

/** The image options as the page sent them. */
export type RunOptions = StudioOptions;

export type RunWarning = ResultWarning;

/** One run, as the caller hands it to `appendRun` (the line adds `v` and `type`). */
export interface RunRecord {
  id: string;
  /** ISO 8601. */
  time: string;
  kind: "generate" | "edit";
  prompt: string;
  options: RunOptions;
  /** Files in `inputs/`. */
  references: LibraryFile[];
  mask: LibraryFile | null;
  /** The image this run edits further: a run id and a 0-based image index. */
  parent: { run: string; image: number } | null;
  /** Files in `images/`. */
  images: LibraryImage[];
  warnings: RunWarning[];
  usage: Record<string, unknown> | null;
  request_ids: string[];
  error: { code: string; message: string } | null;
  /** Null only on lines that lack it. */
  elapsed_ms: number | null;
  /** What was sent after the server's defaults (the run's `requested`); null when it failed before. */
  requested: RequestedOptions | null;
  /** The Responses model and the backend that served the run, when it got that far. */
  model: string | null;
  backend: string | null;
}

export interface CompositeRecord {
  run: string;
  /** 0-based index of the run's image the composite was made from. */
  of: number;
  time: string;
  image: LibraryImage;
}

export interface DeleteRecord {
  run: string;
  time: string;
}

export type LibraryLine =
  | ({ type: "run" } & RunRecord)
  | ({ type: "composite" } & CompositeRecord)
  | ({ type: "delete" } & DeleteRecord);

/** What a run id may hold (ours are `run_<time>_<hex>`; older or hand-made ones only need to be safe in paths and URLs). */
const RUN_ID = /^[A-Za-z0-9_-]{1,100}$/;

export const runId = z.string().check(z.regex(RUN_ID, "must be a run id (letters, digits, _ and -)"));
const time = z.iso.datetime({ offset: true, error: "must be an ISO 8601 time" });
const index = z.int().check(z.minimum(0));
const side = z.nullable(z.int().check(z.minimum(1)));
const list = <T extends z.ZodMiniType>(item: T) => z._default(z.array(item), () => []);
const orNull = <T extends z.ZodMiniType>(schema: T) => z._default(z.nullable(schema), null);

function fileIn(area: "images" | "inputs") {
  return z.object({
    path: z.string().check(z.refine((value) => isAreaPath(value, area), `must be a file in the library's ${area}/ folder, written ${area}/<name>`)),
    sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits")),
    mime: z.enum(["image/png", "image/jpeg", "image/gif", "image/webp"]),
    width: side,
    height: side,
    bytes: index,
  });
}

const inputFile = fileIn("inputs") satisfies z.ZodMiniType<LibraryFile>;
const imageFile = z.extend(fileIn("images"), {
  revised_prompt: orNull(z.string()),
  quality: orNull(z.string()),
  output_format: orNull(z.string()),
  request_index: orNull(index),
}) satisfies z.ZodMiniType<LibraryImage>;

const options = z.object({
  size: tolerant(z.string()),
  aspect_ratio: tolerant(z.string()),
  quality: tolerant(z.enum(["low", "medium", "high", "auto"])),
  background: tolerant(z.enum(["transparent", "opaque", "auto"])),
  format: tolerant(z.enum(["png", "jpeg", "webp"])),
  compression: tolerant(z.number()),
  moderation: tolerant(z.enum(["auto", "low"])),
  count: tolerant(z.number()),
  image_model: tolerant(z.string()),
  input_fidelity: tolerant(z.enum(["low", "high"])),
  partial_images: tolerant(z.number()),
}) satisfies z.ZodMiniType<RunOptions>;

const runFields = {
  id: runId,
  time,
  kind: z.enum(["generate", "edit"]),
  prompt: z.string(),
  options: z._default(options, () => ({})),
  references: list(inputFile),
  mask: orNull(inputFile),
  parent: orNull(z.object({ run: runId, image: index })),
  images: list(imageFile),
  warnings: list(warningSchema),
  usage: orNull(z.record(z.string(), z.unknown())),
  request_ids: list(z.string()),
  error: orNull(z.object({ code: z.string(), message: z.string() })),
  elapsed_ms: orNull(z.number().check(z.minimum(0))),
  requested: z.catch(orNull(requestedSchema), null),
  model: orNull(z.string()),
  backend: orNull(z.string()),
};

const runSchema = z.object(runFields) satisfies z.ZodMiniType<RunRecord>;

const lineSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("run"), ...runFields }),
  z.object({ type: z.literal("composite"), run: runId, of: index, time, image: imageFile }),
  z.object({ type: z.literal("delete"), run: runId, time }),
]) satisfies z.ZodMiniType<LibraryLine>;

/** The line, or why it is not one (for a warning). */
export function parseLine(json: unknown): { line: LibraryLine } | { problem: string } {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return { problem: "not a JSON object" };
  const { v } = json as { v?: unknown };
  if (v !== LINE_VERSION) {
    return { problem: typeof v === "number" && v > LINE_VERSION ? `version ${v}, written by a newer codex-imagen (update it to read this line)` : 'no "v": 1' };
  }
  const parsed = lineSchema.safeParse(json);
  return parsed.success ? { line: parsed.data } : { problem: describeIssues(parsed.error.issues) };
}

/** The run of a line that `parseLine` took as one before. */
export function runOfLine(bytes: Buffer): RunRecord {
  // An object schema drops the keys it does not name: `v` and `type` go.
  return runSchema.parse(JSON.parse(bytes.toString("utf8")));
}

/** The run as its line will hold it, or its first problem (`<field> must be ...`). */
export function checkRun(value: unknown): { run: RunRecord } | { problem: string } {
  const parsed = runSchema.safeParse(value);
  return parsed.success ? { run: parsed.data } : { problem: describeIssues(parsed.error.issues) };
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const issue = issues[0];
  if (issue === undefined) return "the line is not valid";
  const field = issue.path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("").replace(/^\./, "");
  const what = field === "" ? "the line" : field;
  switch (issue.code) {
    case "invalid_type":
      return `${what} must be ${issue.expected === "array" ? "a list" : `a ${issue.expected}`}`;
    case "invalid_value":
      return `${what} must be one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`;
    case "invalid_union":
      return `unknown "type" (expected "run", "composite" or "delete")`;
    case "too_small":
      return `${what} must be at least ${String(issue.minimum)}`;
    default:
      return `${what} ${issue.message}`;
  }
}
