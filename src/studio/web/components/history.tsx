/** The library's runs, newest first, paged and searchable by prompt: open one, or delete it (its files go to the trash). */
import { useRef, useState } from "preact/hooks";
import type { PageRun } from "../../protocol.js";
import { deleteRun, loadHistory, openRun, search } from "../actions/history.js";
import { history } from "../state.js";
import { LibraryImage } from "./library-image.js";

const SEARCH_DELAY_MS = 250;

function RunItem({ run }: { run: PageRun }) {
  const [confirming, setConfirming] = useState(false);
  const first = run.composites[0]?.image ?? run.images[0];
  const when = new Date(run.time);
  return (
    <li class="history-item">
      {first !== undefined ? <LibraryImage url={first.thumb_url ?? first.url} alt={`Run: ${run.prompt}`} class="thumb" /> : <span class="thumb empty-thumb" aria-hidden="true" />}
      <div class="history-text">
        <p class="history-prompt">{run.prompt}</p>
        <p class="muted">
          <time dateTime={run.time}>{when.toLocaleString()}</time> · {run.images.length} image{run.images.length === 1 ? "" : "s"}
          {run.kind === "edit" ? " · edit" : ""}
          {run.error !== null && <span class="error-text"> · {run.error.code === "stopped" ? "stopped" : "failed"}</span>}
        </p>
      </div>
      <div class="history-actions">
        <button type="button" onClick={() => openRun(run)} aria-label={`Open run: ${run.prompt.slice(0, 80)}`}>
          Open
        </button>
        <button
          type="button"
          class={confirming ? "danger" : undefined}
          onClick={() => (confirming ? void deleteRun(run) : setConfirming(true))}
          onBlur={() => setConfirming(false)}
          aria-label={confirming ? "Confirm delete" : `Delete run: ${run.prompt.slice(0, 80)}`}
        >
          {confirming ? "Confirm delete" : "Delete"}
        </button>
      </div>
    </li>
  );
}

export function History() {
  const state = history.value;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  return (
    <section class="history" aria-label="History">
      <h2>History</h2>
      <div class="field">
        <label for="history-search">Search prompts</label>
        <input
          id="history-search"
          type="search"
          value={state.query}
          onInput={(event) => {
            const query = event.currentTarget.value;
            clearTimeout(timer.current);
            timer.current = setTimeout(() => void search(query), SEARCH_DELAY_MS);
          }}
        />
      </div>
      {state.error !== null && <p class="error">Could not load the history: {state.error}</p>}
      <p class="muted" aria-live="polite">
        {state.loading ? "Loading…" : state.total === 0 ? (state.query ? "No run matches." : "No runs yet.") : `${state.total} run${state.total === 1 ? "" : "s"}${state.query ? " match" : ""}`}
      </p>
      <ul class="history-list">
        {state.runs.map((run) => (
          <RunItem key={run.id} run={run} />
        ))}
      </ul>
      {state.next !== null && (
        <button type="button" onClick={() => void loadHistory(true)} disabled={state.loading}>
          Load more
        </button>
      )}
    </section>
  );
}
