/** Every image option of the CLI, checked live by the CLI's own rules; the field in error is marked and named. */
import type { ComponentChildren } from "preact";
import { IMAGE_MODELS } from "../../../image-models.js";
import { sizeForAspectRatio } from "../../../validate/size.js";
import { checkForm, serverBackend, SIZE_PRESETS, unavailable } from "../form.js";
import type { StudioOptionName } from "../../options.js";
import { fields, formError, references, session, type FormFields } from "../state.js";


type Choice = [value: string, label: string];

function set(name: keyof FormFields, value: string): void {
  fields.value = { ...fields.value, [name]: value };
  if (formError.value?.param !== "prompt") formError.value = null;
}

interface FieldProps {
  id: string;
  label: string;
  /** The studio option name a problem is reported for. */
  option: string;
  problem: { message: string; param: string | null } | null;
  children: ComponentChildren;
}

function Field({ id, label, option, problem, children }: FieldProps) {
  return (
    <div class={`field${problem?.param === option ? " invalid" : ""}`}>
      <label for={id}>{label}</label>
      {children}
      {problem?.param === option && (
        <p id={`${id}-problem`} class="field-problem">
          {problem.message}
        </p>
      )}
    </div>
  );
}

function Select({ id, name, choices, problem, option }: { id: string; name: keyof FormFields; choices: Choice[]; problem: FieldProps["problem"]; option: string }) {
  const invalid = problem?.param === option;
  return (
    <select id={id} value={fields.value[name]} onChange={(event) => set(name, event.currentTarget.value)} aria-invalid={invalid} aria-describedby={invalid ? `${id}-problem` : undefined}>
      {choices.map(([value, text]) => (
        <option key={value} value={value}>
          {text}
        </option>
      ))}
    </select>
  );
}

function ratioSize(text: string): string | null {
  try {
    return sizeForAspectRatio(text);
  } catch {
    return null;
  }
}

export function ImageOptions() {
  // What is offered depends on the server's backend: nothing until the page knows it.
  if (session.value === null) return null;
  const form = fields.value;
  const editing = references.value.length > 0;
  const backend = serverBackend(session.value);
  const live = checkForm(form, backend, editing);
  const offered = (option: StudioOptionName) => !unavailable(backend).has(option);
  // The error shown: the live one while typing, or the one a Generate raised for an option.
  const problem = live.error ?? (formError.value !== null && formError.value.param !== "prompt" ? formError.value : null);
  const invalid = (option: string) => problem?.param === option;
  const mapped = form.sizeChoice === "ratio" ? ratioSize(form.aspectRatio) : null;
  return (
    <fieldset class="options">
      <legend>Image options</legend>
      {/* A custom size's problem shows at its own field. */}
      <Field id="size" label="Size" option={form.sizeChoice === "custom" ? "custom-size" : "size"} problem={problem}>
        <Select id="size" name="sizeChoice" option={form.sizeChoice === "custom" ? "custom-size" : "size"} problem={problem} choices={[["", "Auto"], ...SIZE_PRESETS.map(([value, label]): Choice => [value, label]), ["custom", "Custom WxH…"], ["ratio", "Aspect ratio W:H…"]]} />
      </Field>
      {form.sizeChoice === "custom" && (
        <Field id="custom-size" label="Custom size (WxH)" option="size" problem={problem}>
          <input id="custom-size" inputMode="numeric" placeholder="1792x1024" value={form.customSize} onInput={(event) => set("customSize", event.currentTarget.value)} aria-invalid={invalid("size")} aria-describedby={invalid("size") ? "custom-size-problem" : undefined} />
        </Field>
      )}
      {form.sizeChoice === "ratio" && (
        <Field id="aspect-ratio" label="Aspect ratio (W:H)" option="aspect_ratio" problem={problem}>
          <input id="aspect-ratio" placeholder="16:9" value={form.aspectRatio} onInput={(event) => set("aspectRatio", event.currentTarget.value)} aria-invalid={invalid("aspect_ratio")} aria-describedby="aspect-ratio-size" />
          <p id="aspect-ratio-size" class="hint">
            {mapped === null ? "W:H, e.g. 16:9 (short side 1024)" : `Sends ${mapped}`}
          </p>
        </Field>
      )}
      <Field id="quality" label="Quality" option="quality" problem={problem}>
        <Select id="quality" name="quality" option="quality" problem={problem} choices={[["", "Auto"], ["low", "Low"], ["medium", "Medium"], ["high", "High"]]} />
      </Field>
      <Field id="background" label="Background" option="background" problem={problem}>
        <Select id="background" name="background" option="background" problem={problem} choices={[["", "Auto"], ["opaque", "Opaque"], ["transparent", "Transparent"]]} />
      </Field>
      {offered("format") && (
        <Field id="format" label="Format" option="format" problem={problem}>
          <Select id="format" name="format" option="format" problem={problem} choices={[["", "PNG (default)"], ["png", "PNG"], ["jpeg", "JPEG"], ["webp", "WebP"]]} />
        </Field>
      )}
      {offered("compression") && (form.format === "jpeg" || form.format === "webp") && (
        <Field id="compression" label="Compression (0–100)" option="compression" problem={problem}>
          <input id="compression" type="number" min={0} max={100} value={form.compression} onInput={(event) => set("compression", event.currentTarget.value)} aria-invalid={invalid("compression")} aria-describedby={invalid("compression") ? "compression-problem" : undefined} />
        </Field>
      )}
      <Field id="count" label="Count" option="count" problem={problem}>
        <input id="count" type="number" min={1} max={10} value={form.count} onInput={(event) => set("count", event.currentTarget.value)} aria-invalid={invalid("count")} aria-describedby={invalid("count") ? "count-problem" : undefined} />
      </Field>
      {offered("moderation") && (
        <Field id="moderation" label="Moderation" option="moderation" problem={problem}>
          <Select id="moderation" name="moderation" option="moderation" problem={problem} choices={[["", "Auto"], ["low", "Low"]]} />
        </Field>
      )}
      {offered("partial_images") && (
        <Field id="previews" label="Previews per image" option="partial_images" problem={problem}>
          <Select id="previews" name="previews" option="partial_images" problem={problem} choices={[["0", "None"], ["1", "1"], ["2", "2"], ["3", "3"]]} />
        </Field>
      )}
      <Field id="image-model" label="Image model" option="image_model" problem={problem}>
        <input id="image-model" list="image-models" placeholder="default" value={form.imageModel} onInput={(event) => set("imageModel", event.currentTarget.value)} aria-invalid={invalid("image_model")} />
        <datalist id="image-models">
          {IMAGE_MODELS.map((model) => (
            <option key={model} value={model} />
          ))}
        </datalist>
      </Field>
      {editing && offered("input_fidelity") && (
        <Field id="input-fidelity" label="Input fidelity" option="input_fidelity" problem={problem}>
          <Select id="input-fidelity" name="inputFidelity" option="input_fidelity" problem={problem} choices={[["", "Default"], ["low", "Low"], ["high", "High"]]} />
        </Field>
      )}
      {live.warnings.map((warning) => (
        <p key={warning} class="hint warning">
          {warning}
        </p>
      ))}
    </fieldset>
  );
}
