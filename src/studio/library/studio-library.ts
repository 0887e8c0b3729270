/**
 * The studio's library on disk: `library.jsonl` (runs, composites, tombstones; appended by any number of studio
 * processes) and the images/, inputs/, thumbs/ and trash/ folders beside it. An index in memory is brought up to
 * date by reading only what was appended since the last call.
 */
import { mkdir } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { IoError, UsageError } from "../../errors.js";
import { isPartialFrameName } from "../../images/names.js";
import { removeStaleFiles, removeStaleTempFiles } from "../../images/save.js";
import { appendLine } from "./append-line.js";
import { saveComposite } from "./composites.js";
import { importInput } from "./inputs.js";
import { libraryIoError } from "./io-error.js";
import { AREAS, LOG_NAME, TRASH } from "./layout.js";
import { LogTail, MAX_LINE_BYTES } from "./log-tail.js";
import { LibraryNotFoundError } from "./not-found.js";
import { checkRun, LINE_VERSION, parseLine, type LibraryFile, type LibraryImage, type RunRecord } from "./records.js";
import { resolveFile } from "./resolve-file.js";
import { newRunId } from "./run-id.js";
import { RunIndex, type RunSlot } from "./run-index.js";
import { readRuns, type LibraryRun } from "./run-lines.js";
import { saveThumb, thumbPathOf } from "./thumbs.js";
import { moveToTrash } from "./trash.js";

const STALE_PREVIEW_MS = 3_600_000;

export interface StudioLibraryOptions {
  /** Told about each line of library.jsonl that is skipped (once per line). */
  onWarning?: (message: string) => void;
}

export interface ListOptions {
  /** 1–200; 50 when not given. */
  limit?: number;
  /** A run id: the page holds only runs older than it (the `next` of the page before). */
  before?: string;
  /** Only runs whose prompt holds every word of it, in any case. */
  query?: string;
}

export interface ListPage {
  /** Newest first. */
  runs: LibraryRun[];
  /** The `before` cursor of the next page; null on the last page. */
  next: string | null;
  /** Live runs that match the query (all live runs without one). */
  total: number;
}

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

export class StudioLibrary {
  readonly dir: string;
  readonly imagesDir: string;
  readonly #log: string;
  readonly #tail: LogTail;
  readonly #index = new RunIndex();
  /** Inputs of runs still going, by how many hold them. */
  readonly #held = new Map<string, number>();
  readonly #onWarning: (message: string) => void;
  /** Reads of the log, one at a time, so no line is taken into the index twice. */
  #reading: Promise<void> = Promise.resolve();

  private constructor(dir: string, onWarning: (message: string) => void) {
    this.dir = dir;
    this.imagesDir = join(dir, "images");
    this.#log = join(dir, LOG_NAME);
    this.#tail = new LogTail(this.#log);
    this.#onWarning = onWarning;
  }

  /** Creates the folders when missing and reads the log. */
  static async open(dir: string, options: StudioLibraryOptions = {}): Promise<StudioLibrary> {
    if (!isAbsolute(dir)) throw new UsageError(`The studio library folder must be an absolute path, not ${JSON.stringify(dir)}.`);
    try {
      for (const folder of [...AREAS, TRASH]) await mkdir(join(dir, folder), { recursive: true });
    } catch (error) {
      throw libraryIoError(`Could not create the studio library in ${dir}`, error, "choose another folder for it (--library DIR) or fix the permissions");
    }
    await Promise.all(AREAS.map((area) => removeStaleTempFiles(join(dir, area))));
    // A run's previews pass through images/ on their way to the page; a studio that was killed may leave some.
    await removeStaleFiles(join(dir, "images"), isPartialFrameName, STALE_PREVIEW_MS);
    const library = new StudioLibrary(dir, options.onWarning ?? (() => undefined));
    await library.#catchUp();
    return library;
  }

  newRunId(now?: Date): string {
    return newRunId(now);
  }

  /** Copies an uploaded reference or mask (a file the caller wrote) into inputs/; the same bytes are stored once. */
  importInput(tempPath: string): Promise<LibraryFile> {
    return importInput(this.dir, tempPath);
  }

  /** Checks the run (a UsageError names the first bad field) and appends its line; its id must be new. */
  async appendRun(run: RunRecord): Promise<void> {
    const checked = checkRun(run);
    if ("problem" in checked) throw new UsageError(`The studio library cannot record run ${String(run.id)}: ${checked.problem}.`);
    await this.#catchUp();
    if (this.#index.status(run.id) !== "unknown") throw new UsageError(`The studio library already has a run ${run.id}; make a new id with newRunId().`);
    await appendLine(this.#log, { v: LINE_VERSION, type: "run", ...checked.run });
  }

  /** Saves the composite made from image `of` (0-based) of a live run into images/ and records it. */
  async addComposite(runId: string, of: number, bytes: Uint8Array): Promise<LibraryImage> {
    const run = await this.#liveRun(runId, "add a composite to it");
    if (!Number.isInteger(of) || of < 0 || of >= run.images.length) {
      throw new UsageError(`Run ${runId} has ${run.images.length} image(s); a composite must be made from one of them (index 0 to ${run.images.length - 1}), not ${of}.`);
    }
    const image = await saveComposite(this.imagesDir, bytes, `The composite of image ${of} of run ${runId}`, this.#onWarning);
    await appendLine(this.#log, { v: LINE_VERSION, type: "composite", run: runId, of, time: new Date().toISOString(), image });
    return image;
  }

  /** Stores the thumbnail of `imagePath` (`images/<name>`); returns the thumbnail's library path. */
  saveThumb(imagePath: string, bytes: Uint8Array): Promise<string> {
    return saveThumb(this.dir, imagePath, bytes);
  }

  thumbPathOf(imagePath: string): Promise<string | null> {
    return thumbPathOf(this.dir, imagePath);
  }

  /** Newest first, in pages that stay stable while runs are appended: pass a page's `next` as `before`. */
  async list(options: ListOptions = {}): Promise<ListPage> {
    const limit = options.limit ?? DEFAULT_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new UsageError(`limit must be a whole number from 1 to ${MAX_PAGE}, not ${limit}.`);
    const [runs, { next, total }] = await this.#read(() => {
      const page = this.#index.list(limit, options.before, options.query);
      return [page.slots, page];
    });
    return { runs, next, total };
  }

  async get(runId: string): Promise<LibraryRun | undefined> {
    const [[run]] = await this.#read(() => {
      const slot = this.#index.get(runId);
      return [slot === undefined ? [] : [slot], undefined];
    });
    return run;
  }

  /** Hides the run (a tombstone line), then moves its images, their thumbnails and the inputs no other run uses to trash/. */
  async delete(runId: string): Promise<void> {
    const run = await this.#liveRun(runId, "delete it");
    await appendLine(this.#log, { v: LINE_VERSION, type: "delete", run: runId, time: new Date().toISOString() });
    await this.#catchUp();
    const images = [...run.images, ...run.composites.map((composite) => composite.image)].map((image) => image.path);
    const thumbs = await Promise.all(images.map((path) => thumbPathOf(this.dir, path)));
    const inputs = [...run.references, ...(run.mask === null ? [] : [run.mask])].map((file) => file.path).filter((path) => !this.#index.inputInUse(path) && !this.#held.has(path));
    const moves = [...images, ...thumbs.filter((path) => path !== null), ...new Set(inputs)];
    // Each file is tried, so one that cannot move leaves no other behind; the first failure is reported.
    const failures = (await Promise.allSettled(moves.map((path) => moveToTrash(this.dir, path)))).filter((outcome) => outcome.status === "rejected");
    if (failures[0] !== undefined) throw failures[0].reason;
  }

  /**
   * Keeps inputs out of the trash while a run that uses them is going (its line is written only when it ends);
   * call the returned function when the run is recorded.
   */
  holdInputs(paths: readonly string[]): () => void {
    for (const path of paths) this.#held.set(path, (this.#held.get(path) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const path of paths) {
        const left = (this.#held.get(path) ?? 1) - 1;
        if (left === 0) this.#held.delete(path);
        else this.#held.set(path, left);
      }
    };
  }

  /** The real absolute path of a library path (`images/…`, `inputs/…`, `thumbs/…`) to serve; undefined when refused or missing. */
  resolveFile(relativePath: string): Promise<string | undefined> {
    return resolveFile(this.dir, relativePath);
  }

  async #liveRun(runId: string, action: string): Promise<LibraryRun> {
    const run = await this.get(runId);
    if (run !== undefined) return run;
    const gone = this.#index.status(runId) === "deleted";
    throw new LibraryNotFoundError(`${gone ? `Run ${runId} was deleted` : `There is no run ${runId} in the studio library`}, so the studio cannot ${action}; reload the history.`);
  }

  /** The runs `pick` chooses from the index brought up to date, read from their lines (the whole log again if they moved). */
  async #read<T>(pick: () => [RunSlot[], T]): Promise<[LibraryRun[], T]> {
    for (let attempt = 1; ; attempt++) {
      await this.#catchUp();
      const [slots, rest] = pick();
      const runs = await readRuns(this.#log, this.#tail.identity, slots).catch((error: unknown) => {
        throw libraryIoError(`Could not read the studio library's log ${this.#log}`, error);
      });
      if (runs !== undefined) return [runs, rest];
      this.#tail.invalidate();
      if (attempt === 2) throw new IoError(`The studio library's log ${this.#log} was rewritten while being read; try again.`);
    }
  }

  /** Takes what was appended to the log since the last call into the index. */
  #catchUp(): Promise<void> {
    const read = this.#reading.then(() => this.#readTail());
    this.#reading = read.catch(() => undefined);
    return read;
  }

  async #readTail(): Promise<void> {
    const warn = (lineNumber: number, problem: string) => this.#onWarning(`${this.#log} line ${lineNumber} was skipped: ${problem}.`);
    try {
      await this.#tail.read({
        restart: () => this.#index.clear(),
        overlong: (lineNumber) => warn(lineNumber, `longer than any record (over ${MAX_LINE_BYTES / 1024 / 1024} MB)`),
        line: (bytes, lineNumber, offset) => {
          if (isBlank(bytes)) return;
          let json: unknown;
          try {
            json = JSON.parse(bytes.toString("utf8"));
          } catch {
            warn(lineNumber, "not valid JSON (cut short or corrupted?)");
            return;
          }
          const parsed = parseLine(json);
          const problem = "problem" in parsed ? parsed.problem : this.#index.apply(parsed.line, offset, bytes.length);
          if (problem !== undefined) warn(lineNumber, problem);
        },
      });
    } catch (error) {
      throw libraryIoError(`Could not read the studio library's log ${this.#log}`, error);
    }
  }
}

function isBlank(bytes: Buffer): boolean {
  return bytes.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0d);
}
