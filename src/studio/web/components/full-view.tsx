/** The full view of one image: fitted to the window or at 100 %, in a modal dialog (Esc closes it). */
import { useEffect, useRef, useState } from "preact/hooks";
import { fullView } from "../state.js";
import { LibraryImage } from "./library-image.js";

export function FullView() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [actual, setActual] = useState(false);
  const view = fullView.value;
  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (view !== null && !element.open) element.showModal();
    if (view === null && element.open) element.close();
  }, [view]);
  return (
    <dialog ref={dialog} class="full-view" aria-label="Full view" onClose={() => (fullView.value = null)}>
      {view !== null && (
        <>
          <div class="actions">
            <button type="button" aria-pressed={!actual} onClick={() => setActual(false)}>
              Fit
            </button>
            <button type="button" aria-pressed={actual} onClick={() => setActual(true)}>
              100 %
            </button>
            <button type="button" onClick={() => (fullView.value = null)}>
              Close
            </button>
            <span class="muted">
              {view.image.width}x{view.image.height}
            </span>
          </div>
          <div class={`full-image${actual ? " actual" : ""}`}>
            <LibraryImage url={view.image.url} alt={view.label} />
          </div>
        </>
      )}
    </dialog>
  );
}
