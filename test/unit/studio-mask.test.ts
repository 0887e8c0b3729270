import assert from "node:assert/strict";
import test from "node:test";
import { keepUnmasked, whyNotComposited } from "../../src/studio/web/canvas/composite.js";
import { MaskModel, maskRgba } from "../../src/studio/web/canvas/mask.js";
import { encodePng } from "../../src/images/png.js";
import { decodePng } from "../support/png-decode.js";

/** Pixels whose centre is within `radius` of the segment, computed the slow, obvious way. */
function expectedCapsule(width: number, height: number, radius: number, [ax, ay]: [number, number], [bx, by]: [number, number]): Set<number> {
  const painted = new Set<number>();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [px, py] = [x + 0.5, y + 0.5];
      const length = (bx - ax) ** 2 + (by - ay) ** 2;
      const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / length));
      if ((px - (ax + t * (bx - ax))) ** 2 + (py - (ay + t * (by - ay))) ** 2 <= radius ** 2) painted.add(y * width + x);
    }
  }
  return painted;
}

function paintedSet(model: MaskModel): Set<number> {
  return new Set([...model.coverage.keys()].filter((index) => model.coverage[index] === 1));
}

test("a stroke paints exactly the pixels within the brush radius of its path", () => {
  const model = new MaskModel(64, 40);
  model.begin("brush", 5, 10, 10);
  model.extend(50, 30);
  model.end();
  assert.deepEqual(paintedSet(model), expectedCapsule(64, 40, 5, [10, 10], [50, 30]));
});

test("the eraser unpaints, and undo/redo replay the strokes exactly", () => {
  const model = new MaskModel(32, 32);
  model.begin("brush", 6, 16, 16);
  model.end();
  const afterBrush = paintedSet(model);
  model.begin("eraser", 3, 16, 16);
  model.end();
  const afterEraser = paintedSet(model);
  assert.ok(afterEraser.size < afterBrush.size && afterEraser.size > 0);
  assert.equal(model.coverage[16 * 32 + 16], 0);
  model.undo();
  assert.deepEqual(paintedSet(model), afterBrush);
  model.redo();
  assert.deepEqual(paintedSet(model), afterEraser);
  model.undo();
  model.undo();
  assert.ok(model.isEmpty());
  assert.equal(model.canUndo, false);
  assert.equal(model.canRedo, true);
});

test("clear and invert are steps of the history too; a new stroke drops what was undone", () => {
  const model = new MaskModel(8, 8);
  model.begin("brush", 2, 2, 2);
  model.end();
  const painted = paintedSet(model);
  model.invert();
  assert.equal(paintedSet(model).size, 64 - painted.size);
  model.clear();
  assert.ok(model.isEmpty());
  model.undo();
  assert.equal(paintedSet(model).size, 64 - painted.size);
  model.begin("brush", 1, 7, 7);
  model.end();
  assert.equal(model.canRedo, false);
});

test("the mask PNG is the Edits API's: alpha 0 exactly where painted, 255 elsewhere, at the reference's size", () => {
  const model = new MaskModel(48, 30);
  model.begin("brush", 4, 5, 5);
  model.extend(40, 20);
  model.end();
  const decoded = decodePng(encodePng(48, 30, maskRgba(model.coverage)));
  assert.equal(decoded.width, 48);
  assert.equal(decoded.height, 30);
  for (let i = 0; i < 48 * 30; i++) assert.equal(decoded.data[i * 4 + 3], model.coverage[i] === 1 ? 0 : 255, `pixel ${i}`);
});

test("keepUnmasked takes the reference's bytes outside the mask and the result's inside, and refuses other sizes", () => {
  const reference = Uint8Array.from({ length: 4 * 6 }, (_, i) => i);
  const result = Uint8Array.from({ length: 4 * 6 }, (_, i) => 200 + (i % 50));
  const coverage = Uint8Array.from([0, 1, 1, 0, 0, 1]);
  const out = keepUnmasked(reference, result, coverage);
  for (let pixel = 0; pixel < 6; pixel++) {
    const from = coverage[pixel] === 1 ? result : reference;
    assert.deepEqual([...out.subarray(pixel * 4, pixel * 4 + 4)], [...from.subarray(pixel * 4, pixel * 4 + 4)]);
  }
  assert.throws(() => keepUnmasked(reference, result.subarray(4), coverage), /same pixel size/);
  assert.equal(whyNotComposited({ width: 10, height: 10 }, { width: 10, height: 10 }), undefined);
  assert.match(whyNotComposited({ width: 1536, height: 1024 }, { width: 1024, height: 1024 }) ?? "", /result is 1024x1024, the reference 1536x1024/);
});
