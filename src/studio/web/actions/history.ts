/** The library's runs: a page of 50 at a time, a search by prompt, opening one onto the screen, deleting one. */
import type { PageRun } from "../../protocol.js";
import { api } from "../api.js";
import { announcement, history, live, viewed } from "../state.js";
import { describe, keyMissing } from "./failures.js";

const HISTORY_PAGE = 50;

/** Bumped by every load: an answer to an earlier one (a search typed over, a reload after a run) is dropped. */
let latest = 0;

export async function loadHistory(more = false): Promise<void> {
  const current = history.value;
  const ticket = ++latest;
  history.value = { ...current, loading: true, error: null };
  try {
    const page = await api.runs({ before: more ? current.next : null, query: current.query, limit: HISTORY_PAGE });
    if (ticket !== latest) return;
    history.value = { ...history.value, runs: more ? [...current.runs, ...page.runs] : page.runs, next: page.next, total: page.total, loading: false };
  } catch (error) {
    if (ticket === latest && !keyMissing(error)) history.value = { ...history.value, loading: false, error: describe(error) };
  }
}

export function search(query: string): Promise<void> {
  history.value = { ...history.value, query };
  return loadHistory();
}

/** Shows a run of the history in the results (a run going on goes on; "Back to the running run" shows it again). */
export function openRun(run: PageRun): void {
  viewed.value = {
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
    if (viewed.value?.run?.id === run.id) viewed.value = null;
    if (live.value?.run?.id === run.id) live.value = null;
    announcement.value = "Run deleted (its files are in the library's trash folder).";
    // Its buttons are gone with it: the focus goes where the history starts.
    document.getElementById("history-search")?.focus();
  } catch (error) {
    if (!keyMissing(error)) announcement.value = `Could not delete the run: ${describe(error)}`;
  }
  await loadHistory();
}

/** Back from a run opened from the history to the run started here. */
export function showLive(): void {
  viewed.value = null;
  document.getElementById("results")?.focus();
}
