import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { IoError } from "../errors.js";
import type { JobFiles } from "../options.js";
import { renameWithRetry } from "../fs/rename.js";
import { FileBytes } from "./file-bytes.js";
import type { ImageBytes, ImageItem, ImageSpool } from "./image-item.js";
import { autoName, safeCallId } from "./names.js";
import { assertCompleteImage, canonicalFormat, formatName, typeName, type SniffResult } from "./sniff.js";
import { type ByteSource, Slabs } from "./slabs.js";
import { SpooledImage, tempPath } from "./spool.js";

export interface SavedFile {
  /** Absolute path; for the first image of an exact `-o` path it changes when a second arrives. */
  path: string;
  bytes: number;
  sha256: string;
  /** The sniffed type, whatever the name or the declared format says. */
  mime: string;
  ext: string;
  width: number | null;
  height: number | null;
  partial: boolean;
}

export interface ImageWriterOptions {
  /** Absolute `-o` path: a file, or a directory when it ends with a separator or has no extension. */
  output?: string;
  /** Absolute output directory, used when `output` is not given. */
  outDir: string;
  now?: () => Date;
  onWarning?: (message: string) => void;
  /** Several images are expected (`--count`): an exact `-o` path is numbered from the first image. */
  numbered?: boolean;
  /** A batch job's names in `outDir` instead of automatic ones; each replaces an earlier file of its name. */
  jobFiles?: JobFiles;
  /** A format was asked for: the run reports a declared or real format that differs (format_mismatch), so the writer does not say it twice. */
  formatChecked?: boolean;
}

const TEMP_FILE = /^\.codex-imagen-.*\.tmp$/;
const MAX_CLASH_SUFFIX = 1000;
const LINK_UNSUPPORTED = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV"]);

/** What the checks read of an image, and what the result reports of it. */
interface Checkable {
  source: ByteSource;
  bytes: number;
  sha256: string;
}

const inMemory = (slabs: readonly Buffer[]): Checkable => {
  const hash = createHash("sha256");
  for (const slab of slabs) hash.update(slab);
  const source = new Slabs(slabs);
  return { source, bytes: source.length, sha256: hash.digest("hex") };
};

const isSlabs = (data: ImageBytes): data is readonly Buffer[] => Array.isArray(data);

/** Whether a `-o` value names a directory: a trailing separator, or no extension. */
export function isDirectoryOutput(output: string): boolean {
  return output.endsWith("/") || output.endsWith(path.sep) || path.extname(output) === "";
}

/** Saves images as they arrive: validated, named, written atomically, never over another file. */
export class ImageWriter {
  readonly #exactPath: string | undefined;
  readonly #jobFiles: JobFiles | undefined;
  readonly #numbered: boolean;
  readonly #dir: string;
  readonly #hint: string;
  readonly #now: () => Date;
  readonly #onWarning: (message: string) => void;
  readonly #formatChecked: boolean;
  readonly #finals: SavedFile[] = [];
  /** The first final image's number: its name when a second image moves it off an exact `-o` path. */
  #firstFinalNumber = 0;
  /** Image numbers handed out by call id, so partial frames and their final image share one. */
  readonly #reserved = new Map<string, number>();
  #nextNumber = 1;
  readonly #warned = new Set<string>();
  #dirReady = false;
  #queue: Promise<unknown> = Promise.resolve();
  /** Spools handed out and not saved yet. */
  readonly #spools = new Set<SpooledImage>();

  constructor(options: ImageWriterOptions) {
    const { output } = options;
    if (output !== undefined && !isDirectoryOutput(output)) {
      this.#exactPath = path.resolve(output);
      this.#dir = path.dirname(this.#exactPath);
      this.#hint = "choose another -o/--output path";
    } else {
      this.#dir = path.resolve(output ?? options.outDir);
      this.#hint = output === undefined ? "choose another --out-dir" : "choose another -o/--output directory";
    }
    this.#jobFiles = options.jobFiles;
    this.#numbered = options.numbered ?? false;
    this.#now = options.now ?? (() => new Date());
    this.#onWarning = options.onWarning ?? (() => undefined);
    this.#formatChecked = options.formatChecked ?? false;
  }

  /**
   * Validates and writes one image; calls are serialised so numbering follows arrival order.
   * For a final image the returned object stays current: its `path` follows a later move.
   */
  save(item: ImageItem): Promise<Readonly<SavedFile>> {
    const run = this.#queue.then(() => this.#save(item));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Where an image's bytes go while they stream in: a temp file in the target directory, until `save` publishes it. */
  spool(): ImageSpool {
    const spool = new SpooledImage(this.#dir, () => this.#prepareDir());
    this.#spools.add(spool);
    return spool;
  }

  /** Removes the temp files of spools that were never saved (a stream cut or retried mid-image); call it when the run ends. */
  async discardSpools(): Promise<void> {
    const left = [...this.#spools];
    this.#spools.clear();
    await Promise.all(left.map((spool) => spool.remove()));
  }

  /** Final images saved so far, in order, with their current paths. */
  saved(): SavedFile[] {
    return this.#finals.map((file) => ({ ...file }));
  }

  /** The number of the image a call belongs to; a final image closes its call's number. */
  #numberFor(item: ImageItem, take: boolean): number {
    const key = item.callId;
    let number = key === "" ? undefined : this.#reserved.get(key);
    if (number === undefined) {
      number = this.#nextNumber;
      if (!take) return number;
      this.#nextNumber += 1;
      if (key !== "") this.#reserved.set(key, number);
    }
    if (take && item.partialIndex === undefined) this.#reserved.delete(key);
    return number;
  }

  async #save(item: ImageItem): Promise<SavedFile> {
    if (isSlabs(item.data)) return this.#check(item, inMemory(item.data));
    const spool = this.#own(item.data);
    try {
      return await this.#check(item, await this.#contents(spool));
    } finally {
      this.#spools.delete(spool);
      await spool.remove();
    }
  }

  #own(spool: ImageSpool): SpooledImage {
    if (!(spool instanceof SpooledImage) || !this.#spools.has(spool)) throw new Error("an image spooled by another writer");
    return spool;
  }

  async #contents(spool: SpooledImage): Promise<Checkable> {
    try {
      const { file, bytes, sha256 } = await spool.contents();
      return { source: new FileBytes(file.fd, bytes), bytes, sha256 };
    } catch (error) {
      throw toIoError(error, this.#exactPath ?? this.#dir, this.#hint);
    }
  }

  async #check(item: ImageItem, content: Checkable): Promise<SavedFile> {
    const partialIndex = item.partialIndex;
    const id = safeCallId(item.callId);
    const tentative = this.#numberFor(item, false);
    const label = partialIndex === undefined ? `image ${tentative} (call ${id})` : `partial frame ${partialIndex} of image ${tentative} (call ${id})`;
    const sniffed = assertCompleteImage(content.source, label);
    // Numbered only once valid: bad data does not use up a number.
    const n = this.#numberFor(item, true);
    const declared = item.outputFormat?.trim();
    if (declared && !this.#formatChecked && canonicalFormat(declared) !== formatName(sniffed.mime)) {
      this.#warn(`the backend declared output_format ${declared} but sent ${typeName(sniffed.mime)} data; saving it as ${typeName(sniffed.mime)}.`);
    }
    const target = this.#exactPath === undefined ? this.#dir : this.#exactPath;
    let savedPath: string;
    try {
      savedPath = this.#jobFiles !== undefined
        ? await this.#saveJobFile(item, sniffed, n, this.#jobFiles)
        : this.#exactPath === undefined
          ? await this.#saveAuto(item, sniffed, n)
          : await this.#saveToOutput(item, sniffed, n, this.#exactPath);
    } catch (error) {
      throw toIoError(error, target, this.#hint);
    }
    const file: SavedFile = {
      path: savedPath,
      bytes: content.bytes,
      sha256: content.sha256,
      mime: sniffed.mime,
      ext: sniffed.ext,
      width: sniffed.width,
      height: sniffed.height,
      partial: partialIndex !== undefined,
    };
    if (!file.partial) {
      if (this.#finals.length === 0) this.#firstFinalNumber = n;
      this.#finals.push(file);
    }
    return file;
  }

  async #saveAuto(item: ImageItem, sniffed: SniffResult, n: number): Promise<string> {
    const name = autoName({
      timestamp: this.#now(),
      index: n,
      callId: item.callId,
      ext: sniffed.ext,
      ...(item.partialIndex === undefined ? {} : { partialIndex: item.partialIndex }),
    });
    const ext = path.extname(name);
    return this.#writeAtomic(item.data, (temp) => publishExclusive(temp, this.#dir, name.slice(0, -ext.length), ext));
  }

  async #saveToOutput(item: ImageItem, sniffed: SniffResult, n: number, exactPath: string): Promise<string> {
    const ext = path.extname(exactPath);
    const stem = path.basename(exactPath, ext);
    if (canonicalFormat(ext) !== formatName(sniffed.mime)) {
      this.#warn(`-o/--output ends in ${ext} but the image is ${typeName(sniffed.mime)}; the file keeps that name and holds ${typeName(sniffed.mime)} data.`);
    }
    if (item.partialIndex !== undefined) {
      const base = `${stem}-${n}-partial-${Math.trunc(item.partialIndex)}`;
      return this.#writeAtomic(item.data, (temp) => publishExclusive(temp, this.#dir, base, ext));
    }
    const first = this.#finals[0];
    if (first === undefined && !this.#numbered) {
      return this.#writeAtomic(item.data, async (temp) => {
        await renameWithRetry(temp, exactPath);
        return exactPath;
      });
    }
    // A second image arrived: the first leaves the exact path for its numbered name.
    if (first?.path === exactPath) first.path = await publishExclusive(exactPath, this.#dir, `${stem}-${this.#firstFinalNumber}`, ext);
    return this.#writeAtomic(item.data, (temp) => publishExclusive(temp, this.#dir, `${stem}-${n}`, ext));
  }

  /** `<stem><ext>` for image 1, `<stem>-<n><ext>` after it: the same names every time the job runs, so a redo replaces them. */
  async #saveJobFile(item: ImageItem, sniffed: SniffResult, n: number, files: JobFiles): Promise<string> {
    const ext = files.ext ?? `.${sniffed.ext}`;
    if (files.ext !== undefined && canonicalFormat(files.ext) !== formatName(sniffed.mime)) {
      this.#warn(`${files.stem}${files.ext} ends in ${files.ext} but the image is ${typeName(sniffed.mime)}; the file keeps that name and holds ${typeName(sniffed.mime)} data.`);
    }
    const name = `${n === 1 ? files.stem : `${files.stem}-${n}`}${item.partialIndex === undefined ? "" : `-partial-${Math.trunc(item.partialIndex)}`}${ext}`;
    const target = path.join(this.#dir, name);
    assertInside(this.#dir, target);
    return this.#writeAtomic(item.data, async (temp) => {
      await renameWithRetry(temp, target);
      return target;
    });
  }

  /** Writes a temp file beside the target (a spooled image is in one already), lets `publish` move it into place, and never leaves it behind. */
  async #writeAtomic(data: ImageBytes, publish: (temp: string) => Promise<string>): Promise<string> {
    await this.#prepareDir();
    const temp = isSlabs(data) ? tempPath(this.#dir) : this.#own(data).path;
    try {
      if (isSlabs(data)) await fs.writeFile(temp, data, { flag: "wx" });
      else await this.#own(data).close();
      return await publish(temp);
    } finally {
      await fs.rm(temp, { force: true }).catch(() => undefined);
    }
  }

  /** Removes temp files that killed runs left in the target directory over an hour ago; call it on start. */
  removeStaleTempFiles(): Promise<void> {
    return removeStaleTempFiles(this.#dir);
  }

  async #prepareDir(): Promise<void> {
    if (this.#dirReady) return;
    await fs.mkdir(this.#dir, { recursive: true });
    this.#dirReady = true;
  }

  #warn(message: string): void {
    if (this.#warned.has(message)) return;
    this.#warned.add(message);
    this.#onWarning(message);
  }
}

/** Removes our `.codex-imagen-*.tmp` files older than `maxAgeMs` (left by killed runs); never fails. */
export function removeStaleTempFiles(dir: string, maxAgeMs = 3_600_000): Promise<void> {
  return removeStaleFiles(dir, (name) => TEMP_FILE.test(name), maxAgeMs);
}

/** Removes the regular files in `dir` whose names `matches` accepts and that no one has written to for `maxAgeMs`. */
export async function removeStaleFiles(dir: string, matches: (name: string) => boolean, maxAgeMs: number): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  const cutoff = Date.now() - maxAgeMs;
  await Promise.all(
    names.filter(matches).map(async (name) => {
      const file = path.join(dir, name);
      try {
        const stats = await fs.lstat(file);
        if (stats.isFile() && stats.mtimeMs < cutoff) await fs.unlink(file);
      } catch {
        // Another run may have removed it first.
      }
    }),
  );
}

/**
 * Moves `source` to `<base><ext>` in `dir`, or `<base>-2<ext>`, `-3`, ... when taken, without
 * ever replacing an existing file: a hard link fails on a taken name, where rename would not.
 */
export async function publishExclusive(source: string, dir: string, base: string, ext: string): Promise<string> {
  let canLink = true;
  for (let attempt = 1; attempt <= MAX_CLASH_SUFFIX; attempt++) {
    const candidate = path.join(dir, attempt === 1 ? `${base}${ext}` : `${base}-${attempt}${ext}`);
    assertInside(dir, candidate);
    try {
      if (canLink) {
        try {
          await fs.link(source, candidate);
          await fs.unlink(source).catch(() => undefined);
          return candidate;
        } catch (error) {
          if (!LINK_UNSUPPORTED.has(errorCode(error) ?? "")) throw error;
          canLink = false;
        }
      }
      // No hard links here (some network and FAT file systems): reserve the name, then rename over it.
      await (await fs.open(candidate, "wx")).close();
      await renameWithRetry(source, candidate);
      return candidate;
    } catch (error) {
      if (errorCode(error) !== "EEXIST") throw error;
    }
  }
  throw new IoError(`${MAX_CLASH_SUFFIX} files named like ${path.join(dir, base + ext)} already exist; remove some or write elsewhere`);
}

/** Defence in depth: names are sanitised already, but a file must never land outside `dir`. */
function assertInside(dir: string, candidate: string): void {
  const relative = path.relative(dir, candidate);
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative) || relative.includes(path.sep)) {
    throw new IoError(`refusing to write ${candidate}: it is outside ${dir}`);
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function toIoError(error: unknown, target: string, hint: string): IoError {
  if (error instanceof IoError) return error;
  const code = errorCode(error);
  switch (code) {
    case "ENOTDIR":
    case "EEXIST":
      return new IoError(`Cannot write to ${target}: part of that path is a file, not a directory; ${hint}.`, error);
    case "EISDIR":
      return new IoError(`Cannot write to ${target}: it is a directory; ${hint}.`, error);
    case "EACCES":
    case "EPERM":
      return new IoError(`Permission denied writing to ${target}; ${hint} or fix its permissions.`, error);
    case "ENOSPC":
    case "EDQUOT":
      return new IoError(`No space left on the device for ${target}; free some space or ${hint}.`, error);
    case "EROFS":
      return new IoError(`${target} is on a read-only file system; ${hint}.`, error);
    default: {
      const reason = code ?? (error instanceof Error ? error.message : String(error));
      return new IoError(`Could not write to ${target} (${reason}); ${hint}.`, error);
    }
  }
}
