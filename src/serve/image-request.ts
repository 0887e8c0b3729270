/** `POST /v1/images/generations` and `/v1/images/edits`: request → fields → one run on the shared login and slots → answer. */
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Context } from "hono";
import type { SharedAuth } from "../auth/credential.js";
import type { CodexImagenError } from "../errors.js";
import { RunFailure, runGeneration } from "../generate.js";
import type { GenerateResult } from "../result.js";
import type { RequestSlots } from "../run/slots.js";
import type { Admission } from "./admission.js";
import { finalImages, jsonAnswer, type StreamItem, streamEvent } from "./answers.js";
import type { ServeConfig } from "./args.js";
import { MB, readJsonObject } from "./body.js";
import { pullStream } from "./byte-stream.js";
import { Channel } from "./channel.js";
import { editFormFields, editJsonFields, generationFields, type ImageFields } from "./fields.js";
import type { ServeEnv } from "./hono-env.js";
import type { ServeLog } from "./log.js";
import { readMultipart } from "./multipart.js";
import { badRequest, shuttingDown, toOpenAiError } from "./openai-errors.js";
import { jsonImages, jsonMask, uploadedImages, uploadedMask } from "./references.js";
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
  /** Holds each request's temp dir. */
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

async function readInput(request: Request, route: ImageRoute, dir: string): Promise<Input> {
  if (route === "generation") return { fields: generationFields(await readJsonObject(request, GENERATION_BODY_BYTES, "generation")) };
  if ((request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
    const { fields, images, mask } = editJsonFields(await readJsonObject(request, EDIT_BODY_BYTES, "edit"));
    return { fields, references: jsonImages(images), mask: await jsonMask(mask, dir) };
  }
  const body = await readMultipart(request, dir, { totalBytes: EDIT_BODY_BYTES, fileBytes: IMAGE_BYTES, maxImages: MAX_IMAGES });
  return { fields: editFormFields(body.fields), references: await uploadedImages(body.images), mask: await uploadedMask(body.mask) };
}

/** The origin the client reached us by (for links it can follow), when its Host header is a plain host[:port]. */
function requestOrigin(c: Context<ServeEnv>, fallback: string): string {
  const host = c.req.header("host") ?? "";
  return /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/.test(host) ? `http://${host}` : fallback;
}

/** Temp files of one request: removed once the answer is written (or the client left) and the run has stopped. */
class RequestFiles {
  run: Promise<unknown> = Promise.resolve();
  readonly partials: string[] = [];
  constructor(readonly dir: string) {}

  async remove(): Promise<void> {
    await this.run.catch(() => undefined);
    await Promise.all(this.partials.map((path) => rm(path, { force: true })));
    await rm(this.dir, { recursive: true, force: true });
  }
}

export async function answerImages(c: Context<ServeEnv>, route: ImageRoute, state: ServerState): Promise<Response> {
  const { config, log } = state;
  const id = c.get("requestId");
  c.set("paramOf", paramOf(route === "edit" && !(c.req.header("content-type") ?? "").includes("json") ? "image" : "images"));
  const files = new RequestFiles(await mkdtemp(join(state.tempRoot, "request-")));
  c.env.outgoing.once("close", () => void files.remove());

  const { fields, references, mask } = await readInput(c.req.raw, route, files.dir);
  c.set("prompt", fields.prompt);
  if (fields.response_format === "url" && !fields.stream && config.keepDir === undefined) {
    throw badRequest("response_format", "response_format url needs the server started with --keep DIR (the links serve kept files); ask for b64_json instead.");
  }
  const { options, warnings } = runOptions(fields, config, { outputDir: config.keepDir ?? join(files.dir, "out"), cwd: files.dir, references, mask });
  for (const warning of warnings) log.warning(id, warning);
  const release = state.admission.admit(options.count);

  const stream = fields.stream ? new Channel<StreamItem>() : undefined;
  const partialIndex = new Map<string, number>();
  let started: () => void = () => undefined;
  const start = new Promise<void>((resolve) => (started = resolve));
  const run = runGeneration(options, {
    signal: AbortSignal.any([c.req.raw.signal, state.lifetime]),
    auth: state.auth,
    slots: state.slots,
    onEvent: (event) => {
      if (event.type === "start") started();
      else if (event.type === "warning") log.warning(id, event.message);
      else if (event.type === "partial") partialIndex.set(event.callId, event.index);
      else if (event.type === "image" && event.image.partial) {
        files.partials.push(event.image.path);
        stream?.push({ kind: "partial", image: event.image, index: partialIndex.get(event.image.call_id) ?? 0 });
      }
    },
  }).finally(release);
  files.run = run;
  const paramFor = c.get("paramOf");
  const failed = (error: unknown): CodexImagenError | unknown => {
    if (state.lifetime.aborted) return shuttingDown();
    return error instanceof RunFailure ? error.error : error;
  };

  if (stream === undefined) {
    let result: GenerateResult;
    try {
      result = await run;
    } catch (error) {
      throw failed(error);
    }
    c.set("images", finalImages(result).length);
    return new Response(pullStream(jsonAnswer(result, fields, requestOrigin(c, state.origin))), { headers: { "content-type": "application/json" } });
  }

  // Errors before the run starts (no login, a bad reference) keep their HTTP status; after it, they arrive as an event.
  try {
    await Promise.race([start, run]);
  } catch (error) {
    throw failed(error);
  }
  const ping = setInterval(() => stream.push({ kind: "ping" }), KEEP_ALIVE_MS);
  run.then(
    (result) => {
      const images = finalImages(result);
      c.set("images", images.length);
      for (const image of images) stream.push({ kind: "completed", image, usage: result.usage });
    },
    (error: unknown) => {
      const answer = toOpenAiError(failed(error), paramFor);
      c.set("error", answer.code ?? answer.type);
      stream.push({ kind: "error", error: answer });
    },
  ).finally(() => {
    clearInterval(ping);
    stream.close();
  });
  const prefix = route === "generation" ? "image_generation" : "image_edit";
  async function* events(): AsyncGenerator<string> {
    for await (const item of stream as Channel<StreamItem>) {
      yield* streamEvent(item, prefix, fields);
      if (item.kind === "partial") await rm(item.image.path, { force: true });
    }
  }
  return new Response(pullStream(events()), { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
}
