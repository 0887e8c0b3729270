/**
 * The library's runs in memory, built line by line from `library.jsonl`: only what paging and search need (id,
 * prompt, where the line is), so 10,000 runs take a few MB; a page reads its own runs' lines back from the file.
 */
import type { LibraryImage, LibraryLine } from "./records.js";

export interface LibraryComposite {
  of: number;
  image: LibraryImage;
}

/** Where a live run's line is in the log, and the composites recorded for it. */
export interface RunSlot {
  id: string;
  offset: number;
  length: number;
  composites: LibraryComposite[];
}

export interface SlotPage {
  /** Newest first. */
  slots: RunSlot[];
  /** The `before` cursor of the next page; null on the last page. */
  next: string | null;
  /** Live runs that match the query (all live runs without one). */
  total: number;
}

interface Entry extends RunSlot {
  /** The prompt in lower case, for search. */
  text: string;
  /** Paths of the reference and mask files. */
  inputs: string[];
}

export class RunIndex {
  readonly #live = new Map<string, Entry>();
  readonly #deleted = new Set<string>();
  /** Live run ids, oldest first: ids sort by time, so a cursor is a position that appends never move. */
  #order: string[] = [];

  clear(): void {
    this.#live.clear();
    this.#deleted.clear();
    this.#order = [];
  }

  /** Takes one line, found at `offset` (`length` bytes), into the index; returns why it was skipped, if it was. */
  apply(line: LibraryLine, offset: number, length: number): string | undefined {
    switch (line.type) {
      case "run": {
        const { id } = line;
        if (this.#live.has(id) || this.#deleted.has(id)) return `run id ${id} is used by an earlier line`;
        const inputs = [...line.references, ...(line.mask === null ? [] : [line.mask])].map((file) => file.path);
        this.#live.set(id, { id, offset, length, composites: [], text: line.prompt.toLowerCase(), inputs });
        this.#insert(id);
        return undefined;
      }
      case "composite":
        // A composite of a run deleted (or never written) is hidden with it.
        this.#live.get(line.run)?.composites.push({ of: line.of, image: line.image });
        return undefined;
      case "delete":
        this.#deleted.add(line.run);
        if (this.#live.delete(line.run)) this.#order.splice(lowerBound(this.#order, line.run), 1);
        return undefined;
    }
  }

  status(id: string): "live" | "deleted" | "unknown" {
    return this.#live.has(id) ? "live" : this.#deleted.has(id) ? "deleted" : "unknown";
  }

  get(id: string): RunSlot | undefined {
    const entry = this.#live.get(id);
    return entry === undefined ? undefined : slotOf(entry);
  }

  /** Runs older than `before` (a run id, live or not), newest first; with `query`, only prompts holding every word. */
  list(limit: number, before: string | undefined, query: string | undefined): SlotPage {
    const end = before === undefined ? this.#order.length : lowerBound(this.#order, before);
    const words = (query ?? "").toLowerCase().split(/\s+/).filter((word) => word !== "");
    const matches = (entry: Entry) => words.every((word) => entry.text.includes(word));
    const slots: RunSlot[] = [];
    let more = false;
    for (let i = end - 1; i >= 0; i--) {
      const entry = this.#live.get(this.#order[i] ?? "") as Entry;
      if (!matches(entry)) continue;
      if (slots.length === limit) {
        more = true;
        break;
      }
      slots.push(slotOf(entry));
    }
    let total = this.#order.length;
    if (words.length > 0) {
      total = 0;
      for (const entry of this.#live.values()) if (matches(entry)) total += 1;
    }
    return { slots, next: more ? (slots.at(-1)?.id ?? null) : null, total };
  }

  /** Whether a live run uses the input file at `path` as a reference or mask. */
  inputInUse(path: string): boolean {
    for (const entry of this.#live.values()) if (entry.inputs.includes(path)) return true;
    return false;
  }

  #insert(id: string): void {
    const last = this.#order.at(-1);
    if (last === undefined || last < id) this.#order.push(id);
    else this.#order.splice(lowerBound(this.#order, id), 0, id);
  }
}

function slotOf({ id, offset, length, composites }: Entry): RunSlot {
  return { id, offset, length, composites: composites.slice() };
}

/** The first position whose id is not below `id`. */
function lowerBound(sorted: readonly string[], id: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as string) < id) low = mid + 1;
    else high = mid;
  }
  return low;
}
