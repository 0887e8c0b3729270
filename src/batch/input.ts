/** Reads a batch file (`.jsonl`, `.csv`, `.txt`, or `-` for JSONL on stdin) into job records with their line numbers. */
import { readFile } from "node:fs/promises";
import { basename, dirname, extname, join, resolve } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { UsageError } from "../errors.js";
import { JOB_FIELDS } from "./job-fields.js";

/** One job's raw fields, or why its line could not be read. */
export type JobRecord = { line: number; fields: Record<string, unknown> } | { line: number; problem: string; field?: string };

export interface BatchInput {
  records: JobRecord[];
  /** Where relative references and masks resolve: the file's directory (the current one for stdin). */
  baseDir: string;
  /** `<file name without extension>-images/` beside the file; `batch-images/` for stdin. */
  defaultOutDir: string;
  /** How messages name the input: the path as given, or "stdin". */
  label: string;
}

type Format = "jsonl" | "csv" | "txt";

function formatOf(file: string): Format {
  if (file === "-") return "jsonl";
  const ext = extname(file).toLowerCase();
  if (ext === ".jsonl" || ext === ".csv" || ext === ".txt") return ext.slice(1) as Format;
  throw new UsageError(`codex-imagen batch reads .jsonl, .csv or .txt files (or - for JSONL on stdin), not "${basename(file)}".`);
}

export async function readBatchInput(file: string, cwd: string, readStdin: () => Promise<string>): Promise<BatchInput> {
  const format = formatOf(file);
  if (file === "-") {
    return { records: parseJsonl(await readStdin()), baseDir: cwd, defaultOutDir: join(cwd, "batch-images"), label: "stdin" };
  }
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`The batch file ${file} ${code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? String(error)})`}.`);
  }
  const stem = basename(path, extname(path));
  return { records: parseText(format, text), baseDir: dirname(path), defaultOutDir: join(dirname(path), `${stem}-images`), label: file };
}

export function parseText(format: Format, text: string): JobRecord[] {
  const body = text.replace(/^\uFEFF/, "");
  if (format === "jsonl") return parseJsonl(body);
  if (format === "csv") return parseCsvJobs(body);
  return parseTxt(body);
}

function lines(text: string): string[] {
  return text.split("\n").map((line) => line.replace(/\r$/, ""));
}

export function parseJsonl(text: string): JobRecord[] {
  const records: JobRecord[] = [];
  lines(text.replace(/^\uFEFF/, "")).forEach((raw, index) => {
    if (raw.trim() === "") return;
    const line = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      records.push({ line, problem: `not valid JSON (${error instanceof Error ? error.message : String(error)})` });
      return;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) records.push({ line, problem: 'a job line must be a JSON object such as {"prompt": "a red fox"}' });
    else records.push({ line, fields: value as Record<string, unknown> });
  });
  return records;
}

/** One prompt per non-empty line; a line starting with `#` is a comment (a `#` later in a prompt is kept). */
function parseTxt(text: string): JobRecord[] {
  const records: JobRecord[] = [];
  lines(text).forEach((raw, index) => {
    const prompt = raw.trim();
    if (prompt !== "" && !prompt.startsWith("#")) records.push({ line: index + 1, fields: { prompt } });
  });
  return records;
}

interface CsvRow {
  record: string[];
  info: { lines: number };
  raw: string;
}

/** `info.lines` is where a record ends; its raw text (after skipped empty lines) says how many lines it spans. */
function startLine(row: CsvRow): number {
  const spanned = row.raw.replace(/^\n+/, "").replace(/\n$/, "").split("\n").length - 1;
  return row.info.lines - spanned;
}

/** A header row of job field names; empty cells are unset; `references` are separated by `|`. */
function parseCsvJobs(text: string): JobRecord[] {
  const records: JobRecord[] = [];
  let rows: CsvRow[];
  try {
    // One line ending, so the parser's line count is right for quoted cells that span lines too.
    // With `info` and `raw` each row comes wrapped with them, which the library's types do not model.
    rows = parseCsv(text.replace(/\r\n/g, "\n"), { info: true, raw: true, skip_empty_lines: true, relax_column_count: true }) as unknown as CsvRow[];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return [{ line, problem: `not valid CSV (${error instanceof Error ? error.message : String(error)})` }];
  }
  const [header, ...body] = rows;
  if (header === undefined) return records;
  const columns = header.record.map((name) => name.trim());
  const unknown = columns.filter((name) => !(JOB_FIELDS as string[]).includes(name));
  for (const name of unknown) records.push({ line: 1, field: name, problem: `unknown column "${name}" (columns are job fields: ${JOB_FIELDS.join(", ")})` });
  if (!columns.includes("prompt")) records.push({ line: 1, field: "prompt", problem: 'the header row has no "prompt" column' });
  if (records.length > 0) return records;
  for (const row of body) {
    const line = startLine(row);
    if (row.record.length !== columns.length) {
      records.push({ line, problem: `has ${row.record.length} cells but the header has ${columns.length}` });
      continue;
    }
    const fields: Record<string, unknown> = {};
    columns.forEach((name, index) => {
      const cell = row.record[index] ?? "";
      if (cell === "") return;
      fields[name] = name === "references" ? cell.split("|").map((part) => part.trim()).filter((part) => part !== "") : cell;
    });
    records.push({ line, fields });
  }
  return records;
}
