/** `POST /v1/images/generations` and `/v1/images/edits`: request → fields → one run on the shared login and slots → answer. */
import { mkdtemp, rm } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import type { Context } from "hono";
import type { SharedAuth } from "../auth/credential.js";
import { RunFailure, runGeneration } from "../run/generate.js";
import type { GenerateOptions } from "../options.js";
import type { GenerateResult } from "../result.js";
import type { RequestSlots } from "../run/slots.js";
import type { Admission } from "./admission.js";
import { answerWarnings, finalImages, jsonAnswer, type StreamItem, streamEvent } from "./answers.js";
import type { ServeConfig } from "./args.js";
import { MB, readJsonObject } from "./body.js";
import { FLUSH, type Piece, pullStream } from "./byte-stream.js";
import { Channel } from "./channel.js";
import { editFormFields, editJsonFields, generationFields, type ImageFields } from "./fields.js";
import type { ServeEnv } from "./hono-env.js";
import { requestOrigin } from "./host.js";
import type { ServeLog } from "./log.js";
import { readMultipart } from "./multipart.js";
import { badRequest, shuttingDown, toOpenAiError } from "./openai-errors.js";
import { jsonImages, jsonMask, uploadedImages, uploadedMask } from "./references.js";
import { requestSignal } from "./request-signal.js";
import { paramOf, runOptions } from "./run-options.js";

const GENERATION_BODY_BYTES = MB;
const EDIT_BODY_BYTES = 64 * MB;
const IMAGE_BYTES = 50 * MB;
const MAX_IMAGES = 16;
const KEEP_ALIVE_MS = 15_000;

/** What every request shares for the server's lifetime. */
export interface ServerState {
  config: ServeConfig;
  auth: SharedAuth;
  slots: RequestSlots;
  admission: Admission;
  /** Aborted when the shutdown grace period is over: running requests stop. */
  lifetime: AbortSignal;
  /** Holds the images being answered and each edit's uploads. */
  tempRoot: string;
  /** `http://host:port`, for `response_format: url` when the request's Host header is unusable. */
  origin: string;
  log: ServeLog;
}

export type ImageRoute = "generation" | "edit";

interface Input {
  fields: ImageFields;
  references?: string[];
  mask?: string;
}

async function readInput(incoming: IncomingMessage, route: ImageRoute, dir: string, signal: AbortSignal): Promise<Input> {
  if (route === "generation") return { fields: generationFields(await readJsonObject(incoming, GENERATION_BODY_BYTES, "generation")) };
  if (isJson(incoming)) {
    const { fields, images, mask } = editJsonFields(await readJsonObject(incoming, EDIT_BODY_BYTES, "edit"));
    return { fields, references: jsonImages(images), mask: await jsonMask(mask, dir, signal) };
  }
  const body = await readMultipart(incoming, dir, { totalBytes: EDIT_BODY_BYTES, fileBytes: IMAGE_BYTES, maxImages: MAX_IMAGES });
  return { fields: editFormFields(body.fields), references: await uploadedImages(body.images), mask: await uploadedMask(body.mask) };
}

const isJson = (incoming: IncomingMessage): boolean => (incoming.headers["content-type"] ?? "").toLowerCase().startsWith("application/json");

/** What one request leaves on disk: removed once the answer is written (or the client left) and the run has stopped. */
class RequestFiles {
  run: Promise<unknown> = Promise.resolve();
  /** Images to delete: all of them, or with --keep only the partial frames. */
  readonly images: string[] = [];
  /** An edit's uploads. */
  uploads: string | undefined;

  async remove(): Promise<void> {
    await this.run.catch(() => undefined);
    await Promise.all(this.images.map((path) => rm(path, { force: true })));
    if (this.uploads !== undefined) await rm(this.uploads, { recursive: true, force: true });
  }
}

/** One run on the shared login and slots; partial frames go to `stream` as they are saved. */
function startRun(c: Context<ServeEnv>, state: ServerState, options: GenerateOptions, files: RequestFiles, stream: Channel<StreamItem> | undefined) {
  const id = c.get("requestId");
  const release = state.admission.admit(options.count);
  const partialIndex = new Map<string, number>();
  let started: () => void = () => undefined;
  const start = new Promise<void>((resolve) => (started = resolve));
  const stop = requestSignal(c.req.raw.signal, state.lifetime);
  const run = runGeneration(options, {
    signal: stop.signal,
    auth: state.auth,
    slots: state.slots,
    onEvent: (event) => {
      if (event.type === "start") started();
      else if (event.type === "warning") state.log.warning(id, event.message);
      else if (event.type === "partial") partialIndex.set(event.callId, event.index);
      else if (event.type === "image") {
        if (state.config.keepDir === undefined || event.image.partial) files.images.push(event.image.path);
        if (event.image.partial) stream?.push({ kind: "partial", image: event.image, index: partialIndex.get(event.image.call_id) ?? 0 });
      }
    },
  }).finally(() => {
    release();
    stop.dispose();
  });
  files.run = run;
  // What a failed run answers: its error, or 503 when the server stopped it.
  const failure = (error: unknown): unknown => (state.lifetime.aborted ? shuttingDown() : error instanceof RunFailure ? error.error : error);
  return { run, start, failure };
}

/** `stream: true`: the events as the run produces them, each final image once its request is done. */
function eventStream(c: Context<ServeEnv>, route: ImageRoute, run: Promise<GenerateResult>, failure: (error: unknown) => unknown, stream: Channel<StreamItem>): Response {
  const paramFor = c.get("paramOf");
  const ping = setInterval(() => stream.push({ kind: "ping" }), KEEP_ALIVE_MS);
  run
    .then(
      (result) => {
        const images = finalImages(result);
        const warnings = answerWarnings(result);
        c.set("images", images.length);
        images.forEach((image, index) => {
          stream.push({ kind: "completed", image, usage: result.usage, warnings: warnings.filter((warning) => warning.image_index === index) });
        });
      },
      (error: unknown) => {
        const answer = toOpenAiError(failure(error), paramFor);
        c.set("error", answer.code ?? answer.type);
        stream.push({ kind: "error", error: answer });
      },
    )
    .finally(() => {
      clearInterval(ping);
      stream.close();
    });
  const prefix = route === "generation" ? "image_generation" : "image_edit";
  async function* events(): AsyncGenerator<Piece> {
    for await (const item of stream) {
      yield* streamEvent(item, prefix);
      yield FLUSH;
      if (item.kind === "partial") await rm(item.image.path, { force: true });
    }
  }
  return new Response(pullStream(events()), { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
}

export async function answerImages(c: Context<ServeEnv>, route: ImageRoute, state: ServerState): Promise<Response> {
  const { config } = state;
  c.set("paramOf", paramOf(route === "edit" && !isJson(c.env.incoming) ? "image" : "images"));
  const files = new RequestFiles();
  c.env.outgoing.once("close", () => void files.remove().catch((error: unknown) => state.log.warning(c.get("requestId"), `could not remove its temp files (${String(error)})`)));
  if (route === "edit") files.uploads = await mkdtemp(join(state.tempRoot, "upload-"));

  const { fields, references, mask } = await readInput(c.env.incoming, route, files.uploads ?? state.tempRoot, c.req.raw.signal);
  c.set("prompt", fields.prompt);
  if (fields.response_format === "url" && !fields.stream && config.keepDir === undefined) {
    throw badRequest("response_format", "response_format url needs the server started with --keep DIR (the links serve kept files); ask for b64_json instead.");
  }
  // Every request's images share one temp dir: their names are unique, and the request deletes exactly its own.
  const { options, warnings } = runOptions(fields, config, { outputDir: config.keepDir ?? state.tempRoot, cwd: state.tempRoot, references, mask });
  for (const warning of warnings) state.log.warning(c.get("requestId"), warning);
  const stream = fields.stream ? new Channel<StreamItem>() : undefined;
  const { run, start, failure } = startRun(c, state, options, files, stream);

  if (stream === undefined) {
    const result = await run.catch((error: unknown) => Promise.reject(failure(error)));
    c.set("images", finalImages(result).length);
    return new Response(pullStream(jsonAnswer(result, fields, requestOrigin(c.req.header("host"), state.origin))), { headers: { "content-type": "application/json" } });
  }
  // Errors before the run starts (no login, a bad reference) keep their HTTP status; after it, they arrive as an event.
  await Promise.race([start, run]).catch((error: unknown) => Promise.reject(failure(error)));
  return eventStream(c, route, run, failure, stream);
}
