/** The library's runs in memory, built line by line from `library.jsonl`: newest-first pages, prompt search. */
import type { LibraryImage, LibraryLine, RunRecord } from "./records.js";

export interface LibraryComposite {
  of: number;
  image: LibraryImage;
}

export type LibraryRun = RunRecord & { composites: LibraryComposite[] };

export interface ListPage {
  /** Newest first. */
  runs: LibraryRun[];
  /** The `before` cursor of the next page; null on the last page. */
  next: string | null;
  /** Live runs that match the query (all live runs without one). */
  total: number;
}

interface Entry {
  run: RunRecord;
  composites: LibraryComposite[];
  /** The prompt in lower case, for search. */
  text: string;
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

  /** Takes one line into the index; returns why it was skipped, if it was. */
  apply(line: LibraryLine): string | undefined {
    switch (line.type) {
      case "run": {
        const run: RunRecord = withoutType(line);
        if (this.#live.has(run.id) || this.#deleted.has(run.id)) return `run id ${run.id} is used by an earlier line`;
        this.#live.set(run.id, { run, composites: [], text: run.prompt.toLowerCase() });
        this.#insert(run.id);
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

  get(id: string): LibraryRun | undefined {
    const entry = this.#live.get(id);
    return entry === undefined ? undefined : view(entry);
  }

  /** Runs older than `before` (a run id, live or not), newest first; with `query`, only prompts holding every word. */
  list(limit: number, before: string | undefined, query: string | undefined): ListPage {
    const end = before === undefined ? this.#order.length : lowerBound(this.#order, before);
    const words = (query ?? "").toLowerCase().split(/\s+/).filter((word) => word !== "");
    if (words.length === 0) {
      const start = Math.max(0, end - limit);
      const runs: LibraryRun[] = [];
      for (let i = end - 1; i >= start; i--) runs.push(view(this.#at(i)));
      return { runs, next: start > 0 && runs.length > 0 ? (runs.at(-1)?.id ?? null) : null, total: this.#order.length };
    }
    const matches = (entry: Entry) => words.every((word) => entry.text.includes(word));
    const runs: LibraryRun[] = [];
    let more = false;
    for (let i = end - 1; i >= 0; i--) {
      const entry = this.#at(i);
      if (!matches(entry)) continue;
      if (runs.length === limit) {
        more = true;
        break;
      }
      runs.push(view(entry));
    }
    let total = 0;
    for (const entry of this.#live.values()) if (matches(entry)) total += 1;
    return { runs, next: more ? (runs.at(-1)?.id ?? null) : null, total };
  }

  /** Whether a live run uses the input file at `path` as a reference or mask. */
  inputInUse(path: string): boolean {
    for (const { run } of this.#live.values()) {
      if (run.mask?.path === path || run.references.some((file) => file.path === path)) return true;
    }
    return false;
  }

  #insert(id: string): void {
    const last = this.#order.at(-1);
    if (last === undefined || last < id) this.#order.push(id);
    else this.#order.splice(lowerBound(this.#order, id), 0, id);
  }

  #at(position: number): Entry {
    return this.#live.get(this.#order[position] ?? "") as Entry;
  }
}

function withoutType<T extends { type: string }>(line: T): Omit<T, "type"> {
  const { type, ...rest } = line;
  void type;
  return rest;
}

function view(entry: Entry): LibraryRun {
  return { ...entry.run, composites: entry.composites.slice() };
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
