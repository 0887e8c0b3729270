/** The prompt, Generate and Stop, and the form's error with what to correct. */
import { generate, stop } from "../actions/run.js";
import { isRunning } from "../actions/shown-run.js";
import { formError, prompt, references } from "../state.js";

export function PromptForm() {
  const error = formError.value;
  const running = isRunning();
  const editing = references.value.length > 0;
  const promptError = error?.param === "prompt";
  return (
    <form
      class="prompt-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!isRunning()) void generate();
      }}
    >
      <label for="prompt" class="label">
        Prompt
      </label>
      <textarea
        id="prompt"
        name="prompt"
        rows={4}
        placeholder={editing ? "How to change Image 1 (and the other references)…" : "What to draw…"}
        value={prompt.value}
        onInput={(event) => (prompt.value = event.currentTarget.value)}
        aria-invalid={promptError}
        aria-describedby={error !== null ? "form-error" : "prompt-hint"}
      />
      <p id="prompt-hint" class="hint">
        Ctrl+Enter (⌘+Enter) generates; Esc stops.
      </p>
      <div class="actions">
        <button type="submit" class="primary" disabled={running}>
          Generate
        </button>
        <button type="button" onClick={stop} disabled={!running}>
          Stop
        </button>
      </div>
      {error !== null && (
        <p id="form-error" class="error" role="alert">
          {error.message}
        </p>
      )}
    </form>
  );
}
