/**
 * Painting the mask over Image 1: brush and eraser with a size, undo/redo, clear, invert, the overlay on or off;
 * with a pointer, or with the keyboard (arrows move the brush, Shift+arrows paint as they move, Space paints).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { maskChanged, openMask } from "../actions/references.js";
import type { MaskModel, MaskTool, Rect } from "../canvas/mask.js";
import { serverBackend, unavailable } from "../form.js";
import { keepUnmasked, mask, maskOpen, maskState, references, session } from "../state.js";
import { LibraryImage } from "./library-image.js";

const OVERLAY = [220, 38, 38, 140];

/** Paints the mask's coverage into the overlay's pixels, within `rect` (all of it when undefined). */
function drawOverlay(canvas: HTMLCanvasElement, model: MaskModel, rect?: Rect): void {
  const context = canvas.getContext("2d");
  if (context === null) return;
  const area = rect ?? { x: 0, y: 0, width: model.width, height: model.height };
  const image = context.createImageData(area.width, area.height);
  for (let y = 0; y < area.height; y++) {
    for (let x = 0; x < area.width; x++) {
      if (model.coverage[(area.y + y) * model.width + area.x + x] === 1) image.data.set(OVERLAY, (y * area.width + x) * 4);
    }
  }
  context.putImageData(image, area.x, area.y);
}

function MaskCanvas({ model, referenceUrl, tool, brush, overlay }: { model: MaskModel; referenceUrl: string; tool: MaskTool; brush: number; overlay: boolean }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const painting = useRef(false);
  const [cursor, setCursor] = useState({ x: model.width / 2, y: model.height / 2 });
  const { version } = maskState.value;

  useEffect(() => {
    if (canvas.current !== null) drawOverlay(canvas.current, model);
  }, [model, version]);

  /** Brush radius in image pixels: the slider is in screen pixels, whatever the zoom. */
  const radius = (): number => {
    const shown = canvas.current?.getBoundingClientRect().width || model.width;
    return Math.max(0.5, (brush / 2) * (model.width / shown));
  };
  const toImage = (event: PointerEvent): [number, number] => {
    const rect = (canvas.current as HTMLCanvasElement).getBoundingClientRect();
    return [((event.clientX - rect.left) * model.width) / rect.width, ((event.clientY - rect.top) * model.height) / rect.height];
  };
  const painted = (rect: Rect | undefined): void => {
    if (rect !== undefined && canvas.current !== null) drawOverlay(canvas.current, model, rect);
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    const step = Math.max(1, radius());
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const move = moves[event.key];
    if (move !== undefined) {
      event.preventDefault();
      const next = { x: Math.min(model.width, Math.max(0, cursor.x + move[0])), y: Math.min(model.height, Math.max(0, cursor.y + move[1])) };
      if (event.shiftKey) {
        painted(model.begin(tool, radius(), cursor.x, cursor.y));
        painted(model.extend(next.x, next.y));
        model.end();
        maskChanged();
      }
      setCursor(next);
    } else if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      painted(model.begin(tool, radius(), cursor.x, cursor.y));
      model.end();
      maskChanged();
    }
  };

  const cursorStyle = { left: `${(cursor.x / model.width) * 100}%`, top: `${(cursor.y / model.height) * 100}%`, width: `${brush}px`, height: `${brush}px` };
  return (
    <div class="mask-stage">
      <LibraryImage url={referenceUrl} alt="Image 1, the image the mask is painted on" class="mask-reference" />
      <canvas
        ref={canvas}
        class={`mask-canvas${overlay ? "" : " hidden-overlay"}`}
        width={model.width}
        height={model.height}
        tabIndex={0}
        role="application"
        aria-roledescription="mask painting area"
        aria-label="Mask"
        aria-describedby="mask-help"
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          painting.current = true;
          const [x, y] = toImage(event);
          setCursor({ x, y });
          painted(model.begin(tool, radius(), x, y));
        }}
        onPointerMove={(event) => {
          if (!painting.current) return;
          const [x, y] = toImage(event);
          painted(model.extend(x, y));
        }}
        onPointerUp={() => {
          painting.current = false;
          model.end();
          maskChanged();
        }}
        onPointerCancel={() => {
          painting.current = false;
          model.end();
          maskChanged();
        }}
        onKeyDown={onKeyDown}
      />
      <span class="mask-cursor" style={cursorStyle} aria-hidden="true" />
    </div>
  );
}

export function MaskEditor() {
  const first = references.value[0];
  const [tool, setTool] = useState<MaskTool>("brush");
  const [brush, setBrush] = useState(40);
  const [overlay, setOverlay] = useState(true);
  const current = mask.value;
  const { canUndo, canRedo } = maskState.value;
  // The typed image endpoints (--backend images) take no mask.
  if (first?.file == null || unavailable(serverBackend(session.value)).has("mask")) return null;
  const open = maskOpen.value && current !== null;
  const act = (change: (model: MaskModel) => void) => () => {
    if (current === null) return;
    change(current.model);
    maskChanged();
  };
  return (
    <section class="mask" aria-labelledby="mask-title">
      <h2 id="mask-title" class="label">
        Mask
      </h2>
      <div class="actions">
        <button type="button" aria-pressed={open} onClick={() => void openMask()}>
          Paint mask
        </button>
        <label class="check">
          <input type="checkbox" checked={keepUnmasked.value} onChange={(event) => (keepUnmasked.value = event.currentTarget.checked)} />
          Keep unmasked pixels
        </label>
      </div>
      <p class="hint">
        Paint where Image 1 may change. The backend treats a mask as a hint; with "Keep unmasked pixels" the studio also saves a copy whose unpainted pixels are exactly Image 1's.
      </p>
      {open && (
        <div class="mask-editor">
          <div class="mask-tools" role="toolbar" aria-label="Mask tools">
            <fieldset class="tool-choice">
              <legend class="visually-hidden">Tool</legend>
              <label class="check">
                <input type="radio" name="mask-tool" checked={tool === "brush"} onChange={() => setTool("brush")} />
                Brush
              </label>
              <label class="check">
                <input type="radio" name="mask-tool" checked={tool === "eraser"} onChange={() => setTool("eraser")} />
                Eraser
              </label>
            </fieldset>
            <label class="slider">
              Brush size
              <input type="range" min={4} max={200} value={brush} onInput={(event) => setBrush(Number(event.currentTarget.value))} />
            </label>
            <button type="button" onClick={act((model) => model.undo())} disabled={!canUndo}>
              Undo
            </button>
            <button type="button" onClick={act((model) => model.redo())} disabled={!canRedo}>
              Redo
            </button>
            <button type="button" onClick={act((model) => model.clear())}>
              Clear mask
            </button>
            <button type="button" onClick={act((model) => model.invert())}>
              Invert mask
            </button>
            <label class="check">
              <input type="checkbox" checked={overlay} onChange={(event) => setOverlay(event.currentTarget.checked)} />
              Show overlay
            </label>
          </div>
          <p id="mask-help" class="hint">
            Drag to paint. Keyboard: arrows move the brush, Shift+arrows paint as they move, Space paints where it is.
          </p>
          <MaskCanvas model={current.model} referenceUrl={first.file.url} tool={tool} brush={brush} overlay={overlay} />
        </div>
      )}
    </section>
  );
}
