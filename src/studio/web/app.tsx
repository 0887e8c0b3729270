/** The page: compose (prompt, references, mask, options), results, account and history; shortcuts, paste and drop work page-wide. */
import { useEffect, useState } from "preact/hooks";
import { addFiles } from "./actions/references.js";
import { generate, stop } from "./actions/run.js";
import { isRunning } from "./actions/shown-run.js";
import { start } from "./actions/session.js";
import { Account } from "./components/account.js";
import { FullView } from "./components/full-view.js";
import { History } from "./components/history.js";
import { ImageOptions } from "./components/image-options.js";
import { KeyPrompt } from "./components/key-prompt.js";
import { MaskEditor } from "./components/mask-editor.js";
import { PromptForm } from "./components/prompt-form.js";
import { References } from "./components/references.js";
import { Results } from "./components/results.js";
import { announcement, fullView, needsKey } from "./state.js";

function imageFiles(data: DataTransfer | null): File[] {
  return [...(data?.files ?? [])].filter((file) => file.type.startsWith("image/"));
}

export function App() {
  const [dropping, setDropping] = useState(false);
  useEffect(() => {
    void start();
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        if (!isRunning()) void generate();
      } else if (event.key === "Escape" && fullView.value === null && isRunning()) {
        stop();
      }
    };
    const onPaste = (event: ClipboardEvent): void => {
      const files = imageFiles(event.clipboardData);
      if (files.length === 0) return;
      event.preventDefault();
      void addFiles(files);
    };
    const onDragOver = (event: DragEvent): void => {
      if (!event.dataTransfer?.types.includes("Files")) return;
      event.preventDefault();
      setDropping(true);
    };
    const onDrop = (event: DragEvent): void => {
      setDropping(false);
      const files = [...(event.dataTransfer?.files ?? [])];
      if (files.length === 0) return;
      // Always: a file the page does not take must not replace the page (the browser would open it); addFiles says why.
      event.preventDefault();
      void addFiles(files);
    };
    const onDragLeave = (event: DragEvent): void => {
      if (event.relatedTarget === null) setDropping(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("paste", onPaste);
    document.addEventListener("dragover", onDragOver);
    document.addEventListener("drop", onDrop);
    document.addEventListener("dragleave", onDragLeave);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("paste", onPaste);
      document.removeEventListener("dragover", onDragOver);
      document.removeEventListener("drop", onDrop);
      document.removeEventListener("dragleave", onDragLeave);
    };
  }, []);

  return (
    <>
      <header class="top">
        <h1>
          codex-imagen <span class="muted">studio</span>
        </h1>
      </header>
      {needsKey.value ? (
        <KeyPrompt />
      ) : (
        <main class={`layout${dropping ? " dropping" : ""}`}>
          <section class="compose" aria-label="Compose">
            <PromptForm />
            <References />
            <MaskEditor />
            <ImageOptions />
          </section>
          <Results />
          <Account />
          <History />
        </main>
      )}
      <FullView />
      <p class="visually-hidden" aria-live="polite">
        {announcement.value}
      </p>
    </>
  );
}
