/** Resume: which jobs run, which are checked against their `done` record, which are skipped. */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import type { ManifestRecord } from "./manifest.js";
import type { ValidJob } from "./validate.js";

export interface ResumeChoices {
  /** Run jobs whose last record failed again (default). */
  retryFailed: boolean;
  /** Run every job again, whatever its record says. */
  force: boolean;
}

export interface Plan {
  /** No record, a failed one (with retryFailed), or force. */
  run: ValidJob[];
  /** A `done` record: skipped when its files are intact, run again otherwise. */
  check: Array<{ job: ValidJob; record: ManifestRecord }>;
  /** A failed record and retryFailed off. */
  skipped: Array<{ job: ValidJob; record: ManifestRecord }>;
}

export function planJobs(jobs: readonly ValidJob[], records: ReadonlyMap<string, ManifestRecord>, choices: ResumeChoices): Plan {
  const plan: Plan = { run: [], check: [], skipped: [] };
  for (const job of jobs) {
    const record = records.get(job.id);
    if (record === undefined || choices.force) plan.run.push(job);
    else if (record.status === "done") plan.check.push({ job, record });
    else if (choices.retryFailed) plan.run.push(job);
    else plan.skipped.push({ job, record });
  }
  return plan;
}

async function sha256Of(path: string): Promise<string | undefined> {
  const hash = createHash("sha256");
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch {
    return undefined;
  }
  return hash.digest("hex");
}

/** Every file of a `done` record still exists with the sha256 it was saved with. */
export async function filesIntact(record: ManifestRecord): Promise<boolean> {
  if (record.images.length === 0) return false;
  for (const image of record.images) if ((await sha256Of(image.path)) !== image.sha256) return false;
  return true;
}
