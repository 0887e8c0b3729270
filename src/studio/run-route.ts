/**
 * `POST /studio/api/runs`: the page's prompt and options → one run on the server's shared login and request slots
 * (the same pipeline as `serve`) → server-sent events (previews per tile, each final image, the finished run) →
 * one line in library.jsonl. The page closing the request (its Stop button) aborts the upstream requests.
 */
import { readFile, rm } from "node:fs/promises";
import { relative, sep } from "node:path";
import type { Context } from "hono";
import { type CodexImagenError, RateLimitError, toCodexImagenError } from "../errors.js";
import { resolveOptions } from "../library/options.js";
import type { GenerateResult, SavedImage } from "../result.js";
import { RunFailure, runGeneration } from "../run/generate.js";
import { readJsonObject } from "../serve/body.js";
import { FLUSH, type Piece, pullStream } from "../serve/byte-stream.js";
import { Channel } from "../serve/channel.js";
import type { ServeEnv } from "../serve/hono-env.js";
import type { ServerState } from "../serve/image-request.js";
import { badRequest, toOpenAiError } from "../serve/openai-errors.js";
import { requestSignal } from "../serve/request-signal.js";
import type { LibraryFile, LibraryImage, RunRecord, StudioLibrary } from "./library/index.js";
import { studioName } from "./options.js";
import { pageImage, pageRun } from "./page-run.js";
import type { PageError, RunEvent, RunRequest } from "./protocol.js";
import { parseRunRequest } from "./run-request.js";

const RUN_BODY_BYTES = 256 * 1024;
const KEEP_ALIVE_MS = 15_000;
/** Previews per image when the page does not say (the page's own default is the same). */
const DEFAULT_PARTIAL_IMAGES = 2;

export interface StudioRunDeps {
  server: ServerState;
  library: StudioLibrary;
}

/** A reference or mask named by its library path, copied into inputs/ so the run keeps it whatever happens to its source. */
async function libraryInput(library: StudioLibrary, path: string, field: "references" | "mask"): Promise<{ file: LibraryFile; absolute: string }> {
  const found = await library.resolveFile(path);
  if (found === undefined) throw badRequest(field, `The ${field === "mask" ? "mask" : "reference image"} ${JSON.stringify(path)} is not in the library (deleted?); add it again.`);
  const file = await library.importInput(found);
  return { file, absolute: (await library.resolveFile(file.path)) ?? found };
}

function libraryPath(library: StudioLibrary, absolute: string): string {
  return relative(library.dir, absolute).split(sep).join("/");
}

function libraryImage(library: StudioLibrary, image: SavedImage): LibraryImage {
  return {
    path: libraryPath(library, image.path),
    sha256: image.sha256,
    mime: image.mime as LibraryImage["mime"],
    width: image.width,
    height: image.height,
    bytes: image.bytes,
    revised_prompt: image.revised_prompt,
    quality: image.quality,
    output_format: image.output_format,
    request_index: image.request_index,
  };
}

function pageError(error: CodexImagenError): PageError {
  const answer = toOpenAiError(error, (option) => option);
  return {
    code: error.code,
    message: answer.message,
    param: answer.param,
    resets_at: error instanceof RateLimitError && error.resetsAt !== undefined ? error.resetsAt.toISOString() : null,
  };
}

const STOPPED: PageError = { code: "stopped", message: "Stopped before it finished; images saved before that are kept." };

function sseEvent(event: RunEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Runs tasks one after another in the order they were given, so the page gets each preview before its image, and all of them before the end. */
class InOrder {
  #last: Promise<void> = Promise.resolve();

  add(task: () => void | Promise<void>): void {
    this.#last = this.#last.then(task);
  }

  get done(): Promise<void> {
    return this.#last;
  }
}

export async function startStudioRun(c: Context<ServeEnv>, deps: StudioRunDeps): Promise<Response> {
  const { server, library } = deps;
  const request: RunRequest = parseRunRequest(await readJsonObject(c.env.incoming, RUN_BODY_BYTES, "run"));
  c.set("prompt", request.prompt);
  c.set("paramOf", (option) => option);
  const references: Array<{ file: LibraryFile; absolute: string }> = [];
  for (const path of request.references) references.push(await libraryInput(library, path, "references"));
  const mask = request.mask === null ? null : await libraryInput(library, request.mask, "mask");
  const { options: asked } = request;
  const base = server.config.base;
  // Previews reach the page as files the run saves: that needs the upstream stream, which only the responses backend has.
  const streams = base.stream !== false && (base.backend ?? "responses") === "responses";
  const previews = streams ? (asked.partial_images ?? DEFAULT_PARTIAL_IMAGES) : 0;
  const { options } = resolveOptions(
    {
      ...base,
      prompt: request.prompt,
      size: asked.size,
      aspectRatio: asked.aspect_ratio,
      quality: asked.quality,
      background: asked.background,
      format: asked.format,
      compression: asked.compression,
      moderation: asked.moderation,
      inputFidelity: asked.input_fidelity,
      imageModel: asked.image_model ?? base.imageModel,
      count: asked.count,
      // The server's shared slots bound the upstream requests; a run may start all of its own.
      concurrency: asked.count,
      partialImages: streams ? previews : undefined,
      savePartials: previews > 0,
      outputDir: library.imagesDir,
      cwd: library.dir,
      references: references.map((reference) => reference.absolute),
      mask: mask?.absolute,
    },
    studioName,
  );

  const runId = library.newRunId();
  const release = server.admission.admit(options.count);
  const stop = requestSignal(c.req.raw.signal, server.lifetime);
  const events = new Channel<string>();
  const order = new InOrder();
  const started = Date.now();
  /** When each image's latest preview arrived from the backend, and its number, by call id. */
  const previewsOf = new Map<string, { index: number; receivedAt: number }>();
  events.push(sseEvent({ type: "started", run: runId, count: options.count }));

  const sendPreview = async (image: SavedImage): Promise<void> => {
    const arrival = previewsOf.get(image.call_id) ?? { index: 0, receivedAt: Date.now() };
    try {
      const b64 = (await readFile(image.path)).toString("base64");
      events.push(sseEvent({ type: "partial", tile: image.request_index, index: arrival.index, mime: image.mime, b64, received_at: arrival.receivedAt }));
    } finally {
      await rm(image.path, { force: true });
    }
  };
  const run = runGeneration(options, {
    signal: stop.signal,
    auth: server.auth,
    slots: server.slots,
    onEvent: (event) => {
      if (event.type === "warning") server.log.warning(c.get("requestId"), event.message);
      else if (event.type === "partial") previewsOf.set(event.callId, { index: event.index, receivedAt: Date.now() });
      else if (event.type === "image" && event.image.partial) {
        const { image } = event;
        order.add(() => sendPreview(image));
      } else if (event.type === "image") {
        const image = libraryImage(library, event.image);
        const tile = event.image.request_index;
        order.add(async () => events.push(sseEvent({ type: "image", tile, image: await pageImage(image, library) })));
      }
    },
  });

  const record = (result: GenerateResult | undefined, error: PageError | null): RunRecord => {
    // The result lists the previews too; the library keeps final images only, and its warnings point at those.
    const finals = (result?.images ?? []).flatMap((image, at) => (image.partial ? [] : [{ image, at }]));
    return {
      id: runId,
      time: new Date(started).toISOString(),
      kind: references.length > 0 ? "edit" : "generate",
      prompt: request.prompt,
      options: asked,
      references: references.map((reference) => reference.file),
      mask: mask?.file ?? null,
      parent: request.parent,
      images: finals.map(({ image }) => libraryImage(library, image)),
      warnings: (result?.warnings ?? []).map((warning) => (warning.image_index === undefined ? warning : { ...warning, image_index: finals.findIndex(({ at }) => at === warning.image_index) })),
      usage: result?.usage ?? null,
      request_ids: (result?.requests ?? []).flatMap((summary) => (summary.request_id === null ? [] : [summary.request_id])),
      error: error === null ? null : { code: error.code, message: error.message },
      elapsed_ms: Date.now() - started,
      model: result?.model ?? null,
      backend: result?.backend ?? null,
    };
  };
  const finish = async (result: GenerateResult | undefined, error: PageError | null): Promise<void> => {
    await order.done.catch(() => undefined);
    const saved = record(result, error);
    await library.appendRun(saved);
    const page = await pageRun({ ...saved, composites: [] }, library);
    events.push(sseEvent(error === null ? { type: "finished", run: page } : { type: "failed", error, run: page }));
  };

  void run
    .then(
      (result) => {
        c.set("images", result.image_count);
        return finish(result, null);
      },
      (thrown: unknown) => {
        const error = toCodexImagenError(thrown instanceof RunFailure ? thrown.error : thrown);
        c.set("error", stop.signal.aborted ? "stopped" : error.code);
        return finish(thrown instanceof RunFailure ? thrown.result : undefined, stop.signal.aborted ? STOPPED : pageError(error));
      },
    )
    .catch((error: unknown) => {
      server.log.warning(c.get("requestId"), `could not record the run in the library (${String(error)})`);
      events.push(sseEvent({ type: "failed", error: { code: "io", message: `The run could not be recorded in the library (${String(error)}); check that ${library.dir} is writable.` }, run: null }));
    })
    .finally(() => {
      release();
      stop.dispose();
      events.close();
    });

  const ping = setInterval(() => events.push(": ping\n\n"), KEEP_ALIVE_MS);
  async function* body(): AsyncGenerator<Piece> {
    try {
      for await (const text of events) {
        yield text;
        yield FLUSH;
      }
    } finally {
      clearInterval(ping);
    }
  }
  return new Response(pullStream(body()), { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
}
