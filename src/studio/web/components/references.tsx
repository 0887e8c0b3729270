/** Reference images: file picker, drop and paste (handled page-wide in app.tsx), thumbnails in order ("Image 1" first) to move and remove. */
import { addFiles, moveReference, removeReference } from "../actions/references.js";
import { formError, references } from "../state.js";
import { LibraryImage } from "./library-image.js";

export function References() {
  const list = references.value;
  const problem = formError.value?.param === "references" ? formError.value.message : null;
  return (
    <section class="references" aria-labelledby="references-title">
      <h2 id="references-title" class="label">
        References
      </h2>
      <p class="hint" id="references-hint">
        Add images to edit or combine: pick files, drop them here, or paste one. The first is "Image 1".
      </p>
      <label class="file-button">
        <span>Add images…</span>
        <input
          type="file"
          accept="image/png,image/jpeg,image/gif,image/webp"
          multiple
          aria-label="Reference images"
          aria-describedby="references-hint"
          onChange={(event) => {
            const input = event.currentTarget;
            if (input.files !== null) void addFiles(input.files);
            input.value = "";
          }}
        />
      </label>
      {problem !== null && <p class="error">{problem}</p>}
      {list.length > 0 && (
        <ol class="reference-list">
          {list.map((reference, index) => (
            <li key={reference.key} class="reference">
              {reference.file !== null ? <LibraryImage url={reference.file.url} alt={`Image ${index + 1}: ${reference.name}`} /> : <span class="pending">{reference.error ?? "Uploading…"}</span>}
              <span class="reference-name">
                Image {index + 1}
                {reference.error !== null && <span class="error"> — {reference.error}</span>}
              </span>
              <span class="reference-buttons">
                <button type="button" onClick={() => moveReference(index, -1)} disabled={index === 0} aria-label={`Move Image ${index + 1} earlier`}>
                  ←
                </button>
                <button type="button" onClick={() => moveReference(index, 1)} disabled={index === list.length - 1} aria-label={`Move Image ${index + 1} later`}>
                  →
                </button>
                <button type="button" onClick={() => removeReference(index)} aria-label={`Remove Image ${index + 1}`}>
                  ✕
                </button>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
