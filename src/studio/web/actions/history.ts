/** The library's runs: a page of 50 at a time, a search by prompt, opening one onto the screen, deleting one. */
import type { PageRun } from "../../protocol.js";
import { api } from "../api.js";
import { announcement, history, shown } from "../state.js";
import { describe, keyMissing } from "./failures.js";
import { releasePreviews } from "./shown-run.js";

const HISTORY_PAGE = 50;

export async function loadHistory(more = false): Promise<void> {
  const current = history.value;
  history.value = { ...current, loading: true, error: null };
  try {
    const page = await api.runs({ before: more ? current.next : null, query: current.query, limit: HISTORY_PAGE });
    history.value = { ...history.value, runs: more ? [...current.runs, ...page.runs] : page.runs, next: page.next, total: page.total, loading: false };
  } catch (error) {
    if (!keyMissing(error)) history.value = { ...history.value, loading: false, error: describe(error) };
  }
}

export function search(query: string): Promise<void> {
  history.value = { ...history.value, query };
  return loadHistory();
}

/** Shows a run of the history in the results. */
export function openRun(run: PageRun): void {
  releasePreviews(shown.value);
  shown.value = {
    run,
    prompt: run.prompt,
    count: run.images.length,
    status: run.error === null ? "finished" : run.error.code === "stopped" ? "stopped" : "failed",
    startedAt: Date.parse(run.time),
    tiles: run.images.map((image) => ({ preview: null, previews: 0, previewReceivedAt: null, images: [image] })),
    error: run.error,
    compositeNotes: {},
  };
  announcement.value = `Showing the run "${run.prompt.slice(0, 60)}".`;
  document.getElementById("results")?.focus();
}

export async function deleteRun(run: PageRun): Promise<void> {
  try {
    await api.deleteRun(run.id);
    if (shown.value?.run?.id === run.id) shown.value = null;
    announcement.value = "Run deleted (its files are in the library's trash folder).";
  } catch (error) {
    if (!keyMissing(error)) announcement.value = `Could not delete the run: ${describe(error)}`;
  }
  await loadHistory();
}
