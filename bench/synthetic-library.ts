/** A studio library of many realistic runs (the same every time), written straight to library.jsonl for the benchmarks. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LibraryImage, RunRecord } from "../src/studio/library/index.js";

const VOCABULARY = (
  "a an the of in on with at under over lighthouse harbour lantern fox owl city street rain neon watercolor oil painting " +
  "portrait landscape mountain river forest night dawn dusk golden hour cinematic soft light wide angle macro photo " +
  "illustration poster vintage film grain minimal flat vector isometric cozy cabin snow desert ocean waves boat bridge " +
  "market crowd robot garden flowers cat dog horse dragon castle tower glass reflections fog storm sunset studio"
).split(" ");

/** xorshift32: the same library every run. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

function text(next: () => number, min: number, max: number): string {
  const length = min + Math.floor(next() * (max - min));
  let out = "";
  while (out.length < length) out += `${out === "" ? "" : " "}${VOCABULARY[Math.floor(next() * VOCABULARY.length)]}`;
  return out.slice(0, length);
}

function hex(next: () => number, digits: number): string {
  let out = "";
  while (out.length < digits) out += Math.floor(next() * 0x1_0000_0000).toString(16).padStart(8, "0");
  return out.slice(0, digits);
}

function image(next: () => number, stamp: string, n: number): LibraryImage {
  return { path: `images/codex-imagen-${stamp}-${n}-ig_${hex(next, 24)}.png`, sha256: hex(next, 64), mime: "image/png", width: 1024, height: 1024, bytes: 1_400_000 + Math.floor(next() * 400_000), revised_prompt: text(next, 150, 500), quality: "high", output_format: "png", request_index: n - 1 };
}

/** Realistic lines: prompts of 100–400 chars, 1–4 images with revised prompts, a tenth of them edits with references and a mask; some composites and tombstones. */
export function writeSyntheticLibrary(dir: string, count: number): void {
  const next = random(19);
  const start = Date.UTC(2026, 0, 1);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const now = new Date(start + i * 61_000);
    const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").replace(".", "-").slice(0, 19);
    const id = `run_${now.toISOString().replace(/[-:.Z]/g, "")}_${hex(next, 8)}`;
    const edit = next() < 0.1;
    const file = () => ({ path: `inputs/${hex(next, 16)}.png`, sha256: hex(next, 64), mime: "image/png" as const, width: 1024, height: 1024, bytes: 900_000 });
    const images = Array.from({ length: 1 + Math.floor(next() * 4) }, (_, n) => image(next, stamp, n + 1));
    const run: RunRecord = {
      id,
      time: now.toISOString(),
      kind: edit ? "edit" : "generate",
      prompt: text(next, 100, 400),
      options: { size: "1024x1024", quality: "high", format: "png", count: images.length },
      references: edit ? [file(), file()] : [],
      mask: edit ? file() : null,
      parent: null,
      images,
      warnings: [],
      usage: { input_tokens: 40, output_tokens: 4160, total_tokens: 4200 },
      request_ids: images.map(() => `req_${hex(next, 24)}`),
      error: null,
      elapsed_ms: 30_000 + Math.floor(next() * 60_000),
      requested: { size: "1024x1024", quality: "high", background: null, output_format: "png", image_model: null, count: images.length },
      model: "gpt-5.5",
      backend: "responses",
    };
    lines.push(JSON.stringify({ v: 1, type: "run", ...run }));
    if (edit) lines.push(JSON.stringify({ v: 1, type: "composite", run: id, of: 0, time: now.toISOString(), image: { ...image(next, stamp, 9), revised_prompt: null, quality: null, output_format: null, request_index: null } }));
    if (next() < 0.01) lines.push(JSON.stringify({ v: 1, type: "delete", run: id, time: now.toISOString() }));
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "library.jsonl"), `${lines.join("\n")}\n`);
}

