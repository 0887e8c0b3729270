/** A server on a non-loopback host needs its API key: asked for once, kept for this tab (sessionStorage). */
import { useState } from "preact/hooks";
import { saveKey } from "../actions/session.js";
import { keyProblem } from "../state.js";

export function KeyPrompt() {
  const [key, setKey] = useState("");
  return (
    <form
      class="key-prompt"
      onSubmit={(event) => {
        event.preventDefault();
        if (key.trim() !== "") void saveKey(key);
      }}
    >
      <h2>API key</h2>
      <p>This studio was started with an API key. Enter it once; it is kept only in this browser tab.</p>
      <label for="api-key">API key</label>
      <input id="api-key" type="password" autoComplete="off" value={key} onInput={(event) => setKey(event.currentTarget.value)} aria-invalid={keyProblem.value !== null} aria-describedby={keyProblem.value !== null ? "key-problem" : undefined} />
      {keyProblem.value !== null && (
        <p id="key-problem" class="error" role="alert">
          {keyProblem.value}
        </p>
      )}
      <button type="submit" class="primary">
        Continue
      </button>
    </form>
  );
}
