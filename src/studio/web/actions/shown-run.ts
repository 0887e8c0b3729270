/** The run on screen: its tiles and their previews' object URLs (released when the run leaves the screen). */
import { shown, type ShownRun, type Tile } from "../state.js";

export function tiles(count: number): Tile[] {
  return Array.from({ length: count }, () => ({ preview: null, previews: 0, previewReceivedAt: null, images: [] }));
}

export function updateShown(change: (run: ShownRun) => ShownRun): void {
  if (shown.value !== null) shown.value = change(shown.value);
}

export function setTile(index: number, change: (tile: Tile) => Tile): void {
  updateShown((run) => ({ ...run, tiles: run.tiles.map((tile, i) => (i === index ? change(tile) : tile)) }));
}

export function releasePreviews(run: ShownRun | null): void {
  for (const tile of run?.tiles ?? []) if (tile.preview !== null) URL.revokeObjectURL(tile.preview);
}
