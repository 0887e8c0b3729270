/** Done jobs a resumed batch keeps although they were made with other image defaults than this run gives: what to tell the user. */
import type { NameOf } from "../validate/values.js";
import { IMAGE_FIELDS } from "./job-fields.js";
import type { ManifestRecord } from "./manifest.js";
import type { ValidJob } from "./validate.js";

export interface ChangedDefaultsWords {
  /** Spells an option by its flag name: `--quality` or `quality`. */
  nameOf: NameOf;
  /** How to redo every job: "pass --force". */
  force: string;
}

function optionText(field: string, value: string | undefined, nameOf: NameOf): string {
  const name = nameOf(IMAGE_FIELDS[field as keyof typeof IMAGE_FIELDS] ?? field);
  return value === undefined ? `no ${name}` : `${name} ${value}`;
}

/** The defaults that differ between the job's record and this run, as "was" and "now" texts; undefined when none (or the record predates them). */
function difference(job: ValidJob, record: ManifestRecord, nameOf: NameOf): { was: string; now: string } | undefined {
  const made = record.defaults;
  if (made === undefined) return undefined;
  const fields = [...new Set([...Object.keys(made), ...Object.keys(job.defaults)])].sort().filter((field) => made[field] !== job.defaults[field]);
  if (fields.length === 0) return undefined;
  return {
    was: fields.map((field) => optionText(field, made[field], nameOf)).join(", "),
    now: fields.map((field) => optionText(field, job.defaults[field], nameOf)).join(", "),
  };
}

/** One message per distinct change, with how many kept jobs it concerns, e.g. "12 done jobs were made with --quality high; ...". */
export function changedDefaultsMessages(kept: ReadonlyArray<{ job: ValidJob; record: ManifestRecord }>, words: ChangedDefaultsWords): string[] {
  const counts = new Map<string, { was: string; now: string; jobs: number }>();
  for (const { job, record } of kept) {
    const change = difference(job, record, words.nameOf);
    if (change === undefined) continue;
    const key = `${change.was}\n${change.now}`;
    const entry = counts.get(key) ?? { ...change, jobs: 0 };
    entry.jobs += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].map(({ was, now, jobs }) => {
    const [subject, fate] = jobs === 1 ? ["1 done job was", "It is kept"] : [`${jobs} done jobs were`, "They are kept"];
    return `${subject} made with ${was}; this run asks for ${now}. ${fate}; ${words.force} to redo ${jobs === 1 ? "it" : "them"}.`;
  });
}
