/**
 * `POST /studio/api/runs`: the page's prompt and options → one run on the server's shared login and request slots
 * (the same pipeline as `serve`) → server-sent events (previews per tile, each final image, the finished run) →
 * one line in library.jsonl. The page closing the request (its Stop button) aborts the upstream requests.
 */
import { readFile, rm } from "node:fs/promises";
import type { Context } from "hono";
import { type CodexImagenError, RateLimitError, toCodexImagenError } from "../errors.js";
import type { GenerateResult, SavedImage } from "../result.js";
import { RunFailure, runGeneration } from "../run/generate.js";
import { readJsonObject } from "../serve/body.js";
import type { ServeEnv } from "../serve/hono-env.js";
import type { ServerState } from "../serve/image-request.js";
import { badRequest, toOpenAiError } from "../serve/openai-errors.js";
import { requestSignal } from "../serve/request-signal.js";
import { RunEventStream } from "./event-stream.js";
import { InOrder } from "./in-order.js";
import type { LibraryFile, StudioLibrary } from "./library/index.js";
import { pageImage, pageRun } from "./page-run.js";
import type { PageError } from "./protocol.js";
import { libraryImage, type RunOutcome, runRecord } from "./run-record.js";
import { parseRunRequest } from "./run-request.js";
import { studioRunOptions } from "./run-options.js";

const RUN_BODY_BYTES = 256 * 1024;

const STOPPED: PageError = { code: "stopped", message: "Stopped before it finished; images saved before that are kept." };

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

function pageError(error: CodexImagenError): PageError {
  const answer = toOpenAiError(error, (option) => option);
  return {
    code: error.code,
    message: answer.message,
    param: answer.param,
    resets_at: error instanceof RateLimitError && error.resetsAt !== undefined ? error.resetsAt.toISOString() : null,
  };
}

export async function startStudioRun(c: Context<ServeEnv>, deps: StudioRunDeps): Promise<Response> {
  const { server, library } = deps;
  const request = parseRunRequest(await readJsonObject(c.env.incoming, RUN_BODY_BYTES, "run"));
  const warn = (message: string): void => server.log.warning(c.get("requestId"), message);
  c.set("prompt", request.prompt);
  c.set("paramOf", (option) => option);
  if (request.parent !== null && (await library.get(request.parent.run))?.images[request.parent.image] === undefined) {
    throw badRequest("parent", "The image this edit continues is no longer in the library (deleted?); end the thread or branch from a turn that is still there.");
  }
  const references: Array<{ file: LibraryFile; absolute: string }> = [];
  for (const path of request.references) references.push(await libraryInput(library, path, "references"));
  const mask = request.mask === null ? null : await libraryInput(library, request.mask, "mask");
  const { options } = studioRunOptions(request, server.config, {
    outputDir: library.imagesDir,
    cwd: library.dir,
    references: references.map((reference) => reference.absolute),
    mask: mask?.absolute,
  });

  const id = library.newRunId();
  const release = server.admission.admit(options.count);
  const releaseInputs = library.holdInputs([...references, ...(mask === null ? [] : [mask])].map((input) => input.file.path));
  const stop = requestSignal(c.req.raw.signal, server.lifetime);
  const events = new RunEventStream();
  const order = new InOrder((error) => warn(`could not send an image to the page (${String(error)})`));
  const started = Date.now();
  /** When each image's latest preview arrived from the backend, and its number, by call id. */
  const previews = new Map<string, { index: number; receivedAt: number }>();
  events.push({ type: "started", run: id, count: options.count });

  const sendPreview = async (image: SavedImage, arrival: { index: number; receivedAt: number }): Promise<void> => {
    try {
      const b64 = (await readFile(image.path)).toString("base64");
      events.push({ type: "partial", tile: image.request_index, index: arrival.index, mime: image.mime, b64, received_at: arrival.receivedAt });
    } finally {
      // A preview lives in the library only until it is on its way to the page.
      await rm(image.path, { force: true });
    }
  };
  const run = runGeneration(options, {
    signal: stop.signal,
    auth: server.auth,
    slots: server.slots,
    onEvent: (event) => {
      if (event.type === "warning") warn(event.message);
      else if (event.type === "partial") previews.set(event.callId, { index: event.index, receivedAt: Date.now() });
      else if (event.type === "image" && event.image.partial) {
        const { image } = event;
        // Read now: by the time the queue reaches this preview, a later one may have arrived.
        const arrival = previews.get(image.call_id) ?? { index: 0, receivedAt: Date.now() };
        order.add(() => sendPreview(image, arrival));
      } else if (event.type === "image") {
        const image = libraryImage(library, event.image);
        const tile = event.image.request_index;
        order.add(async () => events.push({ type: "image", tile, image: await pageImage(image, library) }));
      }
    },
  });

  const outcome = (result: GenerateResult | undefined, error: PageError | null): RunOutcome => ({
    id,
    started,
    request,
    references: references.map((reference) => reference.file),
    mask: mask?.file ?? null,
    result,
    error,
  });
  const finish = async (result: GenerateResult | undefined, error: PageError | null): Promise<void> => {
    await order.done;
    const record = runRecord(library, outcome(result, error));
    await library.appendRun(record);
    const page = await pageRun({ ...record, composites: [] }, library);
    events.push(error === null ? { type: "finished", run: page } : { type: "failed", error, run: page });
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
      warn(`could not record the run in the library (${String(error)})`);
      events.push({ type: "failed", error: { code: "io", message: `The run could not be recorded in the library (${String(error)}); check that ${library.dir} is writable.` }, run: null });
    })
    .finally(() => {
      releaseInputs();
      release();
      stop.dispose();
      events.close();
    });
  return events.response();
}
