/** `codex-imagen batch FILE [flags]`: the batch's own flags plus the CLI's image flags (defaults for every job) and request flags. */
import type { Values } from "../flags/values.js";
import { FLAGS, type FlagSpec, parseConfigFor } from "../flags/table.js";
import { parseFlags } from "../flags/parse.js";
import { flagTable } from "../flags/help.js";
import { REQUEST_FLAGS } from "../flags/request.js";
import { DEFAULT_BATCH_CONCURRENCY, DEFAULT_MAX_WAIT_SECONDS, MAX_BATCH_CONCURRENCY, MAX_TIMEOUT_MS } from "../defaults.js";
import { UsageError } from "../errors.js";
import { integerInRange, oneOf } from "../validate/values.js";
import { IMAGE_FIELDS } from "./job-fields.js";

const BATCH_FLAGS: FlagSpec[] = [
  { name: "concurrency", value: "N", group: "Batch", help: `At most N requests at once across all jobs (1-${MAX_BATCH_CONCURRENCY}, default ${DEFAULT_BATCH_CONCURRENCY}).` },
  { name: "retry-failed", value: "true|false", group: "Batch", help: "Run jobs whose last run failed again (default true)." },
  { name: "force", group: "Batch", help: "Run every job again, also those already done." },
  { name: "max-wait", value: "SECONDS", group: "Batch", help: `Longest wait for a usage limit to reset before stopping (default ${DEFAULT_MAX_WAIT_SECONDS}; 0 stops at once).` },
];

/** What the shared flags mean for a batch, where that differs from a single run. */
const BATCH_HELP: Readonly<Record<string, string>> = {
  "out-dir": "Where images, manifest.jsonl and index.html go (default: <file name>-images/ beside the file).",
  json: "Print one JSON summary (counts, per-job records, manifest and gallery paths) on stdout.",
  count: "Images per job when the job does not say (1-10, default 1).",
  deadline: "Bound on each job: attempts, backoff and lock waits (default none).",
};

const SHARED_FLAGS = new Set(["out-dir", "json", ...Object.values(IMAGE_FIELDS), ...REQUEST_FLAGS, "quiet", "help"]);

export const BATCH_COMMAND_FLAGS: readonly FlagSpec[] = [
  ...BATCH_FLAGS,
  ...FLAGS.filter((flag) => SHARED_FLAGS.has(flag.name)).map((flag) => ({ ...flag, help: BATCH_HELP[flag.name] ?? flag.help })),
];

const parseConfig = parseConfigFor(BATCH_COMMAND_FLAGS, false);

export type BatchArgs = { kind: "help" } | { kind: "run"; file: string; values: Values };

export function parseBatchArgs(argv: string[]): BatchArgs {
  const parsed = parseFlags(parseConfig, argv);
  const values = parsed.values as Values;
  if (values.help) return { kind: "help" };
  const [file, ...extra] = parsed.positionals;
  if (file === undefined) throw new UsageError("codex-imagen batch needs a job file: codex-imagen batch jobs.jsonl (.jsonl, .csv or .txt; - reads JSONL from stdin).");
  if (extra.length > 0) throw new UsageError(`codex-imagen batch takes one job file, not also "${extra.join(" ")}"; job settings go in the file, defaults in flags.`);
  return { kind: "run", file, values };
}

export interface BatchFlags {
  concurrency: number;
  retryFailed: boolean;
  force: boolean;
  maxWaitSeconds: number;
  /** The image flags given, keyed by flag name: defaults that job fields override. */
  image: Values;
}

export function batchFlags(values: Values): BatchFlags {
  const text = (flag: string): string | undefined => values[flag] as string | undefined;
  const concurrency = text("concurrency");
  const maxWait = text("max-wait");
  const image: Values = {};
  for (const flag of Object.values(IMAGE_FIELDS)) if (values[flag] !== undefined) image[flag] = values[flag];
  return {
    concurrency: concurrency === undefined ? DEFAULT_BATCH_CONCURRENCY : integerInRange("--concurrency", concurrency, 1, MAX_BATCH_CONCURRENCY),
    retryFailed: oneOf("--retry-failed", text("retry-failed"), ["true", "false"]) !== "false",
    force: Boolean(values.force),
    maxWaitSeconds: maxWait === undefined ? DEFAULT_MAX_WAIT_SECONDS : integerInRange("--max-wait", maxWait, 0, Math.floor(MAX_TIMEOUT_MS / 1000)),
    image,
  };
}

export function batchHelpText(version: string): string {
  return [
    `codex-imagen ${version} batch — many images from one file; survives interruptions and usage limits`,
    "",
    "Usage: codex-imagen batch FILE [flags]",
    "",
    "FILE is .jsonl (one job object per line), .csv (a header row of job fields; references separated by |),",
    ".txt (one prompt per line; lines starting with # are comments) or - (JSONL on stdin).",
    "Job fields: prompt (required), id, output, size, aspect_ratio, quality, background, format, compression,",
    "moderation, input_fidelity, image_model, count, references, mask. Flags below are defaults that job fields override.",
    "",
    "Re-running the same command resumes: jobs done before (files unchanged) are skipped, failed and missing ones run.",
    "Progress goes to stderr; stdout gets one path per saved image (or one JSON summary with --json).",
    ...flagTable(BATCH_COMMAND_FLAGS),
    "",
    "Exit codes: 0 every job done, 1 a job failed or a usage-limit wait was cut short, 2 invalid input or another batch",
    "running in the out dir (nothing sent), 130/143 interrupted (the manifest stays consistent; re-run to resume).",
    "",
  ].join("\n");
}
