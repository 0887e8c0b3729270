/** The runs the page holds: the live one (events change it) and one opened from the history. */
import { live, type ShownRun, type Tile, viewed } from "../state.js";

export function tiles(count: number): Tile[] {
  return Array.from({ length: count }, () => ({ preview: null, previews: 0, previewReceivedAt: null, images: [] }));
}

export function updateLive(change: (run: ShownRun) => ShownRun): void {
  if (live.value !== null) live.value = change(live.value);
}

export function setTile(index: number, change: (tile: Tile) => Tile): void {
  updateLive((run) => ({ ...run, tiles: run.tiles.map((tile, i) => (i === index ? change(tile) : tile)) }));
}

/** Changes a run of the library wherever the page holds it (live and opened from the history). */
export function updateRun(id: string, change: (run: ShownRun) => ShownRun): void {
  for (const holder of [live, viewed]) if (holder.value?.run?.id === id) holder.value = change(holder.value);
}

export function isRunning(): boolean {
  return live.value?.status === "running";
}
