/** Checks every job before anything is sent: shape, the CLI's image-option rules, paths, ids and file names. */
import { statSync } from "node:fs";
import { extname, resolve } from "node:path";
import * as z from "zod/mini";
import { UsageError } from "../errors.js";
import type { GenerateOptions, ImageToolOptions, JobFiles, ReferenceSpec } from "../options.js";
import { type FlagValues, fieldOfFlag, firstFieldNamed, type ImageCheck, imageCheck, type ImageDefaults, inheritedDefaults } from "./image-check.js";
import { expectedValue, IMAGE_FIELDS, JOB_FIELDS, type JobFields, jobSchema } from "./job-fields.js";
import { JobIds } from "./job-id.js";
import type { JobRecord } from "./input.js";

export interface JobDefaults extends ImageDefaults {
  /** Resolved options every job starts from; the prompt, image options, references and file names are the job's. */
  base: GenerateOptions;
  /** Where relative references and masks resolve. */
  baseDir: string;
}

/** A job ready to run. */
export interface ValidJob {
  id: string;
  /** Line in the batch file (position in the list for the library), for messages. */
  line: number;
  prompt: string;
  count: number;
  tool: ImageToolOptions;
  references: ReferenceSpec[];
  mask: string | undefined;
  files: JobFiles;
  /** The batch's image defaults this job took (those it does not set itself), keyed by job field name. */
  defaults: Record<string, string>;
}

export interface BatchProblem {
  line: number;
  /** The job field (or CSV column) at fault, when one is. */
  field?: string;
  message: string;
}

/** Some jobs are invalid: `problems` lists every one; nothing was sent. */
export class BatchInputError extends UsageError {
  constructor(
    /** What held the jobs: a file name, "stdin", "jobs". */
    source: string,
    readonly problems: BatchProblem[],
    /** How a problem's place is named: a file's "line 3", the library's "job 3". */
    unit: "line" | "job",
  ) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    const list = problems.map((problem) => `  ${unit} ${problem.line}: ${problem.message}`).join("\n");
    super(`${source} has ${count}; nothing was sent. Fix ${problems.length === 1 ? "it" : "them"} and run again:\n${list}`);
  }
}

export interface Validated {
  jobs: ValidJob[];
  problems: BatchProblem[];
  /** Warnings the CLI would print (e.g. a size outside the published range), each once. */
  warnings: string[];
}

/** Names that would overwrite the batch's own files. */
const RESERVED_NAMES = new Set(["manifest.jsonl", "index.html"]);
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const MAX_OUTPUT_LENGTH = 200;

const isUrl = (value: string): boolean => /^(https?:|data:)/i.test(value);

function shapeProblems(line: number, issues: ReadonlyArray<{ code: string; path: PropertyKey[]; keys?: string[] }>): BatchProblem[] {
  return issues.flatMap((issue): BatchProblem[] => {
    if (issue.code === "unrecognized_keys") {
      return (issue.keys ?? []).map((key) => ({ line, field: key, message: `unknown field "${key}" (fields: ${JOB_FIELDS.join(", ")})` }));
    }
    const field = String(issue.path[0] ?? "prompt");
    return [{ line, field, message: `${field} must be ${expectedValue(field)}` }];
  });
}

/** Lenient on shape, for checking the rest of a line whose unknown and mistyped fields were set aside. */
const partialJobSchema = z.partial(jobSchema);

/** The line's fields of the right shape, and a problem for each other one (unknown, mistyped or missing). */
function shapeCheck(line: number, raw: Record<string, unknown>): { fields: Partial<JobFields>; problems: BatchProblem[] } {
  const parsed = jobSchema.safeParse(raw);
  if (parsed.success) return { fields: parsed.data, problems: [] };
  const problems = shapeProblems(line, parsed.error.issues as Parameters<typeof shapeProblems>[1]);
  const faulty = new Set(problems.map((problem) => problem.field));
  const rest = partialJobSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([key]) => !faulty.has(key))));
  return { fields: rest.success ? rest.data : {}, problems };
}

function problemFor(line: number, error: UsageError): BatchProblem {
  // The shared checks name the options they reject; the first one named is the line's field.
  const field = firstFieldNamed(error.message, JOB_FIELDS);
  return { line, ...(field && { field }), message: error.message.replace(/\.$/, "") };
}

function checkOutput(output: string): string | undefined {
  if (/[\\/\0]/.test(output) || output.startsWith(".") || output.length > MAX_OUTPUT_LENGTH) {
    return `output must be a file name in the batch output directory (no folders, not starting with "."), not "${output}"`;
  }
  if (RESERVED_NAMES.has(output.toLowerCase())) return `output "${output}" would overwrite the batch's own ${output.toLowerCase()}`;
  return undefined;
}

function missingFile(path: string): boolean {
  return !statSync(path, { throwIfNoEntry: false })?.isFile();
}

/** The line's own image options, keyed by flag name. */
function ownImageValues(fields: Partial<JobFields>): FlagValues {
  const own: FlagValues = {};
  for (const [field, flag] of Object.entries(IMAGE_FIELDS)) {
    const value = fields[field as keyof typeof IMAGE_FIELDS];
    if (value !== undefined) own[flag] = String(value);
  }
  return own;
}

/** A line after its own checks: the fields that passed and, when nothing was wrong, its job. */
interface CheckedLine {
  line: number;
  /** A bad id or output is left out, so the checks across lines do not report it again. */
  fields: Partial<JobFields>;
  /** Images the line makes, as far as its fields say. */
  count: number;
  job: Omit<ValidJob, "id" | "files"> | undefined;
}

interface LineContext {
  defaults: JobDefaults;
  checkImage: ImageCheck;
  problems: BatchProblem[];
  warnings: Set<string>;
}

/** Every problem of one line; a field at fault is set aside and the others are still checked. */
function checkLine(record: JobRecord, context: LineContext): CheckedLine | undefined {
  const { defaults, problems, warnings } = context;
  const { line } = record;
  if ("problem" in record) {
    problems.push({ line, ...(record.field && { field: record.field }), message: record.problem });
    return undefined;
  }
  const { fields, problems: found } = shapeCheck(line, record.fields);
  const prompt = fields.prompt?.trim();
  if (prompt === "") found.push({ line, field: "prompt", message: "prompt is empty" });
  const usable: Partial<JobFields> = { ...fields, ...(prompt !== undefined && { prompt }) };
  if (fields.id !== undefined && !ID_PATTERN.test(fields.id)) {
    found.push({ line, field: "id", message: `id must be 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit, not "${fields.id}"` });
    delete usable.id;
  }
  const outputProblem = fields.output === undefined ? undefined : checkOutput(fields.output);
  if (outputProblem) {
    found.push({ line, field: "output", message: outputProblem });
    delete usable.output;
  }

  const own = ownImageValues(fields);
  const checked = context.checkImage(own);
  for (const error of checked.errors) found.push(problemFor(line, error));
  for (const warning of checked.args?.warnings ?? []) warnings.add(warning);

  const given = fields.references === undefined ? [] : typeof fields.references === "string" ? [fields.references] : fields.references;
  const references: ReferenceSpec[] = given.map((value) => ({ kind: "any", value }));
  for (const value of given) {
    if (!isUrl(value) && missingFile(resolve(defaults.baseDir, value))) found.push({ line, field: "references", message: `reference ${value} is not a file` });
  }
  const mask = fields.mask === undefined ? undefined : resolve(defaults.baseDir, fields.mask);
  if (mask !== undefined && references.length === 0) found.push({ line, field: "mask", message: "mask edits a reference image; add one to references" });
  else if (mask !== undefined && missingFile(mask)) found.push({ line, field: "mask", message: `mask ${fields.mask ?? ""} is not a file` });

  problems.push(...found);
  const count = checked.args?.count ?? 1;
  if (found.length > 0 || checked.args === undefined || prompt === undefined) return { line, fields: usable, count, job: undefined };
  const normalised: JobFields = { ...fields, prompt, ...(fields.references !== undefined && { references: given }) };
  for (const field of ["count", "compression"] as const) if (fields[field] !== undefined) normalised[field] = Number(fields[field]);
  const taken = Object.entries(inheritedDefaults(defaults.image, own)).map(([flag, value]) => [fieldOfFlag(flag), String(value)]);
  return { line, fields: normalised, count, job: { line, prompt, count, tool: checked.args.tool, references, mask, defaults: Object.fromEntries(taken) } };
}

/** The names (without extension) a job's images take: `<stem>`, `<stem>-2`, ... */
export function fileStems(job: Pick<ValidJob, "files" | "count">): string[] {
  return Array.from({ length: job.count }, (_, index) => (index === 0 ? job.files.stem : `${job.files.stem}-${index + 1}`));
}

function jobFiles(fields: Partial<JobFields>, id: string): JobFiles {
  if (fields.output === undefined) return { stem: id };
  const ext = extname(fields.output);
  return ext === "" || ext === fields.output ? { stem: fields.output } : { stem: fields.output.slice(0, -ext.length), ext };
}

/** Validates every record; the caller runs the jobs only when there are no problems at all. */
export function validateJobs(records: Iterable<JobRecord>, defaults: JobDefaults): Validated {
  const problems: BatchProblem[] = [];
  const warnings = new Set<string>();
  const checked: CheckedLine[] = [];
  const context: LineContext = { defaults, checkImage: imageCheck(defaults), problems, warnings };
  for (const record of records) {
    const line = checkLine(record, context);
    if (line) checked.push(line);
  }
  const ids = new JobIds();
  const idLines = new Map<string, number>();
  const stemLines = new Map<string, number>();
  const jobs: ValidJob[] = [];
  for (const { line, fields, count, job } of checked) {
    // A line with problems gets no hash id, but its own id and file names still must not clash with another's.
    const id = fields.id ?? (job === undefined ? undefined : ids.next(fields));
    if (id === undefined) continue;
    const earlier = idLines.get(id);
    if (earlier !== undefined) {
      problems.push({ line, field: "id", message: `id "${id}" is already used on line ${earlier}` });
      continue;
    }
    idLines.set(id, line);
    const files = jobFiles(fields, id);
    const names = fileStems({ files, count });
    const clash = names.map((name) => ({ name, owner: stemLines.get(name.toLowerCase()) })).find((entry) => entry.owner !== undefined);
    if (clash) {
      const field = fields.output === undefined ? "id" : "output";
      problems.push({ line, field, message: `${field} "${fields[field] ?? id}" would write ${clash.name}.* like the job on line ${clash.owner}; give one of them another ${field}` });
      continue;
    }
    for (const name of names) stemLines.set(name.toLowerCase(), line);
    if (job !== undefined) jobs.push({ ...job, id, files });
  }
  problems.sort((a, b) => a.line - b.line);
  return { jobs, problems, warnings: [...warnings] };
}
