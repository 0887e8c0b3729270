/** The run on screen: a tile per requested image (its streamed previews, then the final image), side by side, with the thread above. */
import type { PageImage } from "../../protocol.js";
import { showLive } from "../actions/history.js";
import { branchFrom, endThread } from "../actions/results.js";
import { live, now, thread, type ShownRun, type Tile, viewed } from "../state.js";
import { LibraryImage } from "./library-image.js";
import { ResultCard } from "./result-card.js";

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

function resetText(resetsAt: string | null | undefined): string | null {
  if (!resetsAt) return null;
  const at = new Date(resetsAt);
  const minutes = Math.max(0, Math.round((at.getTime() - Date.now()) / 60_000));
  return `The limit resets at ${at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })} (in about ${minutes} min).`;
}

function Status({ run }: { run: ShownRun }) {
  const elapsed = run.status === "running" ? now.value - run.startedAt : (run.run?.elapsed_ms ?? 0);
  if (run.status === "running") {
    return (
      <p class="status" role="status">
        <span class="spinner" aria-hidden="true" /> Generating {run.count} image{run.count === 1 ? "" : "s"} · {seconds(elapsed)}
      </p>
    );
  }
  if (run.error !== null) {
    return (
      <div class={run.status === "stopped" ? "status" : "error"} role={run.status === "stopped" ? "status" : "alert"}>
        <p>{run.error.message}</p>
        {resetText(run.error.resets_at) !== null && <p>{resetText(run.error.resets_at)}</p>}
      </div>
    );
  }
  return (
    <p class="status" role="status">
      Done in {seconds(elapsed)}.
    </p>
  );
}

function TileView({ run, tile, number }: { run: ShownRun; tile: Tile; number: number }) {
  if (tile.images.length === 0) {
    return (
      <article class="card waiting" aria-label={`Result ${number}`}>
        {tile.preview !== null ? (
          // bench/studio-page.ts times a preview from the server's receipt (data-received-at) to its display.
          <img src={tile.preview} alt={`Result ${number} (preview)`} class="preview" data-received-at={tile.previewReceivedAt ?? undefined} />
        ) : (
          <div class="placeholder-tile">{run.status === "running" ? `Waiting for result ${number}…` : `No image came back for result ${number}.`}</div>
        )}
        {tile.preview !== null && <p class="card-line">Preview {tile.previews}</p>}
      </article>
    );
  }
  const record = run.run;
  return (
    <>
      {tile.images.map((image, offset) => {
        const index = record?.images.findIndex((candidate) => candidate.path === image.path) ?? -1;
        const composite = record?.composites.find((entry) => entry.of === index)?.image ?? null;
        return (
          <ResultCard
            key={image.path}
            run={record}
            image={record?.images[index] ?? image}
            index={index}
            number={number + offset}
            prompt={run.prompt}
            composite={composite}
            compositeNote={run.compositeNotes[index] ?? null}
          />
        );
      })}
    </>
  );
}

function ThreadView() {
  const turns = thread.value;
  if (turns.length === 0) return null;
  return (
    <nav class="thread" aria-label="Thread">
      <h3 class="label">Thread</h3>
      <ol>
        {turns.map((turn, index) => {
          const image: PageImage | undefined = turn.run.images[turn.image];
          return (
            <li key={`${turn.run.id}:${turn.image}`}>
              {image !== undefined && <LibraryImage url={image.thumb_url ?? image.url} alt={`Turn ${index + 1}: ${turn.run.prompt}`} class="thumb" />}
              <span class="turn-prompt">
                Turn {index + 1}: {turn.run.prompt}
              </span>
              {index < turns.length - 1 && (
                <button type="button" onClick={() => branchFrom(index)}>
                  Branch from here
                </button>
              )}
            </li>
          );
        })}
        <li class="next-turn">Turn {turns.length + 1}: your next prompt edits the last image.</li>
      </ol>
      <button type="button" onClick={endThread}>
        End thread
      </button>
    </nav>
  );
}

export function Results() {
  const run = viewed.value ?? live.value;
  const running = live.value?.status === "running";
  let number = 1;
  return (
    <section id="results" class="results" aria-label="Results" tabIndex={-1}>
      <h2>Results</h2>
      <ThreadView />
      {viewed.value !== null && live.value !== null && (
        <p class="status">
          {running ? "A run is still going." : "Showing a run from the history."}{" "}
          <button type="button" onClick={showLive}>
            {running ? "Back to the running run" : "Back to the last run"}
          </button>
        </p>
      )}
      {run === null ? (
        <p class="empty">Your images appear here, each with its previews as they stream in.</p>
      ) : (
        <>
          <p class="run-prompt">{run.prompt}</p>
          <Status run={run} />
          <div class="tiles">
            {run.tiles.map((tile, index) => {
              const first = number;
              number += Math.max(1, tile.images.length);
              return <TileView key={index} run={run} tile={tile} number={first} />;
            })}
          </div>
        </>
      )}
    </section>
  );
}
