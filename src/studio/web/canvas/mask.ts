/**
 * The painted mask, in the reference image's own pixels: which pixels the edit may change. Strokes are kept as
 * operations, so undo and redo replay them exactly; painting is exact too (a pixel is painted when its centre
 * lies within the brush radius of the stroke's path), so what is sent is exactly what was painted.
 */

export type MaskTool = "brush" | "eraser";

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

type Operation = { kind: "stroke"; tool: MaskTool; radius: number; points: Array<[number, number]> } | { kind: "clear" } | { kind: "invert" };

export class MaskModel {
  /** 1 where painted (the area to edit), 0 elsewhere; row-major, `width` x `height`. */
  readonly coverage: Uint8Array;
  readonly #done: Operation[] = [];
  readonly #undone: Operation[] = [];
  #stroke: Extract<Operation, { kind: "stroke" }> | undefined;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.coverage = new Uint8Array(width * height);
  }

  get canUndo(): boolean {
    return this.#done.length > 0;
  }

  get canRedo(): boolean {
    return this.#undone.length > 0;
  }

  isEmpty(): boolean {
    return !this.coverage.includes(1);
  }

  /** Starts a stroke at (x, y) in image pixels; returns the pixels it changed. */
  begin(tool: MaskTool, radius: number, x: number, y: number): Rect | undefined {
    this.#stroke = { kind: "stroke", tool, radius, points: [[x, y]] };
    this.#undone.length = 0;
    this.#done.push(this.#stroke);
    return this.#paintSegment(tool, radius, x, y, x, y);
  }

  /** Continues the stroke to (x, y). */
  extend(x: number, y: number): Rect | undefined {
    const stroke = this.#stroke;
    if (stroke === undefined) return undefined;
    const [fromX, fromY] = stroke.points[stroke.points.length - 1] as [number, number];
    stroke.points.push([x, y]);
    return this.#paintSegment(stroke.tool, stroke.radius, fromX, fromY, x, y);
  }

  end(): void {
    this.#stroke = undefined;
  }

  clear(): void {
    this.#apply({ kind: "clear" });
  }

  invert(): void {
    this.#apply({ kind: "invert" });
  }

  undo(): void {
    const last = this.#done.pop();
    if (last === undefined) return;
    this.#undone.push(last);
    this.#replay();
  }

  redo(): void {
    const next = this.#undone.pop();
    if (next === undefined) return;
    this.#done.push(next);
    this.#replay();
  }

  #apply(operation: Operation): void {
    this.end();
    this.#undone.length = 0;
    this.#done.push(operation);
    this.#run(operation);
  }

  #replay(): void {
    this.coverage.fill(0);
    for (const operation of this.#done) this.#run(operation);
  }

  #run(operation: Operation): void {
    if (operation.kind === "clear") this.coverage.fill(0);
    else if (operation.kind === "invert") for (let i = 0; i < this.coverage.length; i++) this.coverage[i] = 1 - (this.coverage[i] ?? 0);
    else {
      const [first, ...rest] = operation.points;
      if (first === undefined) return;
      let [fromX, fromY] = first;
      this.#paintSegment(operation.tool, operation.radius, fromX, fromY, fromX, fromY);
      for (const [x, y] of rest) {
        this.#paintSegment(operation.tool, operation.radius, fromX, fromY, x, y);
        [fromX, fromY] = [x, y];
      }
    }
  }

  /** Sets every pixel whose centre is within `radius` of the segment; returns the rectangle it may have changed. */
  #paintSegment(tool: MaskTool, radius: number, ax: number, ay: number, bx: number, by: number): Rect | undefined {
    const left = Math.max(0, Math.floor(Math.min(ax, bx) - radius));
    const top = Math.max(0, Math.floor(Math.min(ay, by) - radius));
    const right = Math.min(this.width - 1, Math.ceil(Math.max(ax, bx) + radius));
    const bottom = Math.min(this.height - 1, Math.ceil(Math.max(ay, by) + radius));
    if (left > right || top > bottom) return undefined;
    const value = tool === "brush" ? 1 : 0;
    const dx = bx - ax;
    const dy = by - ay;
    const lengthSquared = dx * dx + dy * dy;
    const radiusSquared = radius * radius;
    for (let y = top; y <= bottom; y++) {
      const py = y + 0.5;
      for (let x = left; x <= right; x++) {
        const px = x + 0.5;
        const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSquared));
        const ex = px - (ax + t * dx);
        const ey = py - (ay + t * dy);
        if (ex * ex + ey * ey <= radiusSquared) this.coverage[y * this.width + x] = value;
      }
    }
    return { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
  }
}

/** The mask as the Edits API reads it: RGBA, painted pixels fully transparent (alpha 0), the rest opaque black. */
export function maskRgba(coverage: Uint8Array): Uint8Array {
  const rgba = new Uint8Array(coverage.length * 4);
  for (let i = 0; i < coverage.length; i++) rgba[i * 4 + 3] = coverage[i] === 1 ? 0 : 255;
  return rgba;
}
