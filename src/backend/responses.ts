/** The seed's path: the hosted image_generation tool through `<base>/responses`, streamed or not. */
import { BackendError, type CodexImagenError, InvalidImageError, PolicyError } from "../errors.js";
import type { PreparedReference } from "../images/image-item.js";
import { safeCallId } from "../images/names.js";
import type { ImageDetail } from "../options.js";
import type { AttemptContext, AttemptRecord, ImageBackend } from "./backend.js";
import { classifyFailureEvent, type ModelRef, redactTokens } from "./errors.js";
import { exchange } from "./exchange.js";
import { parseResponse, parseSseData } from "./events.js";
import type { RawImage } from "./raw-image.js";
import { attachImages, imageBytes, imageFingerprint, planImages } from "./image-scanner.js";
import type { HttpResponse } from "../net/http.js";
import { responsesBody } from "./request.js";
import { readSseMessages } from "./sse.js";

export interface ResponsesBackendOptions {
  baseUrl: string;
  model: string;
  prompt: string;
  references: PreparedReference[];
  imageDetail: ImageDetail;
  stream: boolean;
  tool: Record<string, unknown>;
  savePartials: boolean;
}

const BYTES_PROGRESS_INTERVAL_MS = 250;

/** Text the model wrote instead of an image, gathered from deltas and finished parts. */
class ModelText {
  private deltas = "";
  private readonly parts: Array<{ text: string; refusal: boolean }> = [];
  addDelta(text: string): void {
    this.deltas += text;
  }
  /** The same text arrives up to three times (text done, message item, completed output): keep it once. */
  add(text: string, refusal: boolean): void {
    const known = this.parts.find((part) => part.text === text);
    if (known) known.refusal ||= refusal;
    else this.parts.push({ text, refusal });
  }
  get refusal(): boolean {
    return this.parts.some((part) => part.refusal);
  }
  toString(): string {
    const text = this.parts.length > 0 ? this.parts.map((part) => part.text).join("\n") : this.deltas;
    return text.trim();
  }
}

function noImageError(text: ModelText): CodexImagenError {
  const said = text.toString();
  if (said === "") {
    return new BackendError("backend", "The backend finished without returning an image.", { retryable: true });
  }
  const quoted = said.length > 500 ? `${said.slice(0, 500)}…` : said;
  if (text.refusal) return new PolicyError(`The model refused to generate the image: "${quoted}"; change the prompt.`);
  return new PolicyError(
    `The model answered with text instead of calling the image tool (it may have declined): "${quoted}"; ask explicitly for an image, e.g. start the prompt with "Generate an image of".`,
  );
}

/** Reports the bytes received at most every BYTES_PROGRESS_INTERVAL_MS, and once more at the end. */
function byteCounter(context: AttemptContext): { add(chunk: Buffer): void; end(): void } {
  let received = 0;
  let lastReport = 0;
  const report = (): void => context.onProgress({ type: "bytes", request: context.requestIndex, received });
  return {
    add(chunk) {
      received += chunk.length;
      const now = Date.now();
      if (now - lastReport >= BYTES_PROGRESS_INTERVAL_MS) {
        lastReport = now;
        report();
      }
    },
    end: report,
  };
}

function imageKey(image: RawImage): string {
  return image.callId !== "" ? image.callId : imageFingerprint(image);
}

export function createResponsesBackend(options: ResponsesBackendOptions): ImageBackend {
  const endpoint = `${options.baseUrl.replace(/\/+$/, "")}/responses`;
  // An image that does not say its format is held to the one we asked for.
  const requestedFormat = typeof options.tool.output_format === "string" ? options.tool.output_format : undefined;
  const modelRef: ModelRef = { name: options.model, flag: "--model" };

  async function saveOnce(image: RawImage, saved: Set<string>, context: AttemptContext, record: AttemptRecord): Promise<void> {
    const key = imageKey(image);
    if (saved.has(key)) return;
    saved.add(key);
    const label = `image ${record.finalImages + 1}${image.callId ? ` (call ${safeCallId(image.callId)})` : ""}`;
    await context.saveImage({
      callId: image.callId,
      data: imageBytes(image, label),
      // A non-empty result is final even when the item still says `generating` or `in_progress` (protocol.md).
      status: "completed",
      revisedPrompt: image.revisedPrompt,
      outputFormat: image.outputFormat ?? requestedFormat,
      size: image.size,
      quality: image.quality,
      background: image.background,
    });
    record.finalImages += 1;
  }

  /** A bad partial frame costs only that frame: it is a preview, the final image may still arrive. */
  async function savePartial(image: RawImage, index: number, context: AttemptContext): Promise<void> {
    try {
      await context.saveImage({
        callId: image.callId,
        data: imageBytes(image, `partial frame ${index}`),
        partialIndex: index,
        status: "generating",
        outputFormat: image.outputFormat ?? requestedFormat,
        size: image.size,
        quality: image.quality,
        background: image.background,
      });
    } catch (error) {
      if (!(error instanceof InvalidImageError)) throw error;
      context.onProgress({ type: "warning", message: `Skipped a broken partial frame; the final image may still arrive. (${error.message})` });
    }
  }

  async function readStream(response: HttpResponse, context: AttemptContext, record: AttemptRecord): Promise<void> {
    const saved = new Set<string>();
    const text = new ModelText();
    // Images are decoded as they stream; partials only when saved, repeats of saved ones never.
    const planner = planImages({ partials: options.savePartials, saved, spool: context.spoolImage });
    const bytes = byteCounter(context);
    for await (const message of readSseMessages(response.body, planner, (chunk) => bytes.add(chunk))) {
      const parsed = parseSseData(message.data, message.event);
      if (!parsed) continue;
      attachImages(parsed.event, message.images);
      if (parsed.type !== "") {
        record.seenEventTypes.add(parsed.type);
        context.onProgress({ type: "event", eventType: parsed.type });
      }
      const event = parsed.event;
      switch (event.kind) {
        case "started":
          record.requestId ??= event.requestId;
          if (options.tool.model !== undefined && event.imageModel !== undefined && event.imageModel !== options.tool.model) {
            context.onProgress({
              type: "warning",
              message: `The hosted image tool runs ${event.imageModel}, not the requested ${String(options.tool.model)}; --backend images honours --image-model.`,
            });
          }
          break;
        case "image":
          await saveOnce(event.image, saved, context, record);
          break;
        case "partial":
          context.onProgress({ type: "partial", callId: event.image.callId, index: event.index });
          if (options.savePartials) await savePartial(event.image, event.index, context);
          break;
        case "text-delta":
          text.addDelta(event.text);
          break;
        case "text":
          text.add(event.text, event.refusal);
          break;
        case "failed": {
          if (record.finalImages > 0) {
            context.onProgress({ type: "warning", message: `The backend failed after ${record.finalImages} image(s) were saved (${redactTokens(event.failure.message ?? event.failure.code ?? "no message")}); keeping them.` });
            return;
          }
          throw classifyFailureEvent(event.failure, modelRef, Date.now(), response.headers);
        }
        case "completed": {
          record.requestId ??= event.response.requestId ?? null;
          record.usage = event.response.usage;
          for (const image of event.response.images) await saveOnce(image, saved, context, record);
          for (const part of event.response.texts) text.add(part.text, part.refusal);
          if (record.finalImages === 0) throw noImageError(text);
          return;
        }
        default:
          break;
      }
    }
    bytes.end();
    if (record.finalImages === 0) {
      throw new BackendError("network", "The stream ended before an image arrived.", { retryable: true });
    }
    context.onProgress({ type: "warning", message: `The stream ended early after ${record.finalImages} image(s); keeping them.` });
  }

  async function readJson(response: HttpResponse, context: AttemptContext, record: AttemptRecord): Promise<void> {
    const bodyText = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(bodyText);
    } catch {
      throw new BackendError("backend", "The backend's answer was not valid JSON.", { retryable: true });
    }
    const parsed = parseResponse(json);
    record.requestId ??= parsed.requestId ?? null;
    record.usage = parsed.usage;
    if (parsed.failure && parsed.images.length === 0) throw classifyFailureEvent(parsed.failure, modelRef);
    const saved = new Set<string>();
    for (const image of parsed.images) await saveOnce(image, saved, context, record);
    if (record.finalImages === 0) {
      const text = new ModelText();
      for (const part of parsed.texts) text.add(part.text, part.refusal);
      throw noImageError(text);
    }
  }

  return {
    name: "responses",
    endpoint,
    model: options.model,
    needsCredential: true,
    sent: options.tool,
    attempt(context, record) {
      return exchange(context, record, {
        url: endpoint,
        stream: options.stream,
        model: modelRef,
        body: (sessionId) =>
          responsesBody({
            prompt: options.prompt,
            model: options.model,
            references: options.references,
            imageDetail: options.imageDetail,
            stream: options.stream,
            tool: options.tool,
            promptCacheKey: sessionId,
          }),
        read: (response) => {
          const contentType = String(response.headers["content-type"] ?? "");
          return contentType.includes("text/event-stream") ? readStream(response, context, record) : readJson(response, context, record);
        },
      });
    },
  };
}
