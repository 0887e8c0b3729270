/**
 * Server-sent events from a byte stream. Line ends are found in the bytes and no line is ever
 * built up as a string: a `data:` line goes, piece by piece as it arrives, through a
 * JsonImageScanner, which decodes (or skips) the multi-MB base64 images in place.
 */
import { finished, Readable } from "node:stream";
import { JsonImageScanner, type ImagePlanner } from "./image-scanner.js";
import type { LiftedImage } from "./raw-image.js";

export interface SseMessage {
  /** The `event:` field, when the server sent one. */
  event: string | undefined;
  /** The data; lifted images are replaced by placeholders. */
  data: string;
  /** The lifted images by placeholder; absent when none were lifted. */
  images?: ReadonlyMap<string, LiftedImage>;
}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const NEWLINE = Buffer.from("\n");
const CR_BYTE = Buffer.from("\r");
/** Longer field names are none we know: the rest of such a line is ignored. */
const MAX_FIELD_NAME = 16;

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Calls `onPiece` with each piece of the current line (CRLF's CR removed) and `onEnd` at each
 * line end. A CR at the end of a chunk is held back until the next byte shows what it was.
 */
class LineSplitter {
  #heldCr = false;
  /** Bytes of an unfinished line have been passed on. */
  inLine = false;

  constructor(
    private readonly onPiece: (piece: Buffer) => void,
    private readonly onEnd: () => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const lf = chunk.indexOf(LF, start);
      let end = lf === -1 ? chunk.length : lf;
      if (end > start) {
        // More bytes of this line: a CR held back was part of it.
        if (this.#heldCr) this.#piece(CR_BYTE);
        this.#heldCr = chunk[end - 1] === CR;
        if (this.#heldCr) end -= 1;
        if (end > start) this.#piece(chunk.subarray(start, end));
      }
      if (lf === -1) return;
      this.#heldCr = false;
      this.inLine = false;
      this.onEnd();
      start = lf + 1;
    }
  }

  #piece(piece: Buffer): void {
    this.inLine = true;
    this.onPiece(piece);
  }
}

/** Splits a byte stream into lines (LF or CRLF), without the terminator; an unterminated tail is a cut line and dropped. */
export async function* readLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  let pieces: Buffer[] = [];
  const lines: Buffer[] = [];
  const splitter = new LineSplitter(
    (piece) => pieces.push(piece),
    () => {
      lines.push(pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces));
      pieces = [];
    },
  );
  for await (const chunk of chunks) {
    splitter.push(toBuffer(chunk));
    yield* lines.splice(0);
  }
}

type Field = "unknown" | "data" | "event" | "ignored";

/** The SSE state machine: fields, events and the scanner of the current message's data. */
class SseParser {
  readonly #splitter = new LineSplitter(
    (piece) => this.#piece(piece),
    () => this.#lineEnd(),
  );
  readonly #out: SseMessage[] = [];
  #field: Field = "unknown";
  /** The line so far while its field name is not known yet. */
  #head: Buffer[] = [];
  #headLength = 0;
  #skipSpace = false;
  #eventValue: Buffer[] = [];
  #event: string | undefined;
  #data: JsonImageScanner | undefined;
  #dataLines = 0;

  constructor(private readonly planner: ImagePlanner | undefined) {}

  push(chunk: Buffer): SseMessage[] {
    this.#splitter.push(chunk);
    return this.#out.splice(0);
  }

  /** The stream ended: a cut line is dropped, the last complete data lines are still delivered. */
  end(): SseMessage[] {
    if (this.#splitter.inLine && this.#field === "data") this.#data?.rollback();
    this.#dispatch();
    return this.#out.splice(0);
  }

  #piece(piece: Buffer): void {
    switch (this.#field) {
      case "unknown": {
        const colon = piece.indexOf(COLON);
        if (colon === -1) {
          this.#head.push(piece);
          this.#headLength += piece.length;
          if (this.#headLength > MAX_FIELD_NAME) this.#field = "ignored";
          return;
        }
        this.#startField(Buffer.concat([...this.#head, piece.subarray(0, colon)]).toString("latin1"));
        if (colon + 1 < piece.length) this.#piece(piece.subarray(colon + 1));
        return;
      }
      case "data":
      case "event": {
        const value = this.#skipSpace && piece[0] === SPACE ? piece.subarray(1) : piece;
        this.#skipSpace = false;
        if (this.#field === "event") this.#eventValue.push(value);
        else this.#data?.push(value);
        return;
      }
      default:
        return;
    }
  }

  #startField(name: string): void {
    this.#head = [];
    this.#headLength = 0;
    this.#skipSpace = true;
    if (name === "data") {
      this.#field = "data";
      if (this.#data === undefined) this.#data = new JsonImageScanner(this.planner);
      else this.#data.push(NEWLINE);
    } else if (name === "event") {
      this.#field = "event";
      this.#eventValue = [];
    } else {
      this.#field = "ignored";
    }
  }

  #lineEnd(): void {
    if (this.#field === "unknown") {
      // A line without a colon is a field name with an empty value; an empty line ends the event.
      const name = Buffer.concat(this.#head).toString("latin1");
      if (name === "") this.#dispatch();
      else this.#startField(name);
    }
    if (this.#field === "data") {
      this.#dataLines += 1;
      this.#data?.mark();
    } else if (this.#field === "event") {
      this.#event = Buffer.concat(this.#eventValue).toString("utf8");
    }
    this.#field = "unknown";
    this.#head = [];
    this.#headLength = 0;
  }

  #dispatch(): void {
    const data = this.#data;
    if (data !== undefined && this.#dataLines > 0) {
      const { text, images } = data.finish();
      this.#out.push(images.size > 0 ? { event: this.#event, data: text, images } : { event: this.#event, data: text });
    }
    this.#data = undefined;
    this.#dataLines = 0;
    this.#event = undefined;
  }
}

/**
 * Groups lines into messages at blank lines; comments and unknown fields are ignored. With a
 * planner, the base64 images in `data` are lifted out as they stream (see image-scanner.ts).
 * `onChunk` sees every chunk as it arrives (e.g. to count bytes).
 */
export async function* readSseMessages(
  chunks: AsyncIterable<Uint8Array>,
  planner?: ImagePlanner,
  onChunk?: (chunk: Buffer) => void,
): AsyncGenerator<SseMessage> {
  const parser = new SseParser(planner);
  if (chunks instanceof Readable) {
    yield* readFlowing(chunks, parser, onChunk);
    return;
  }
  for await (const chunk of chunks) {
    const bytes = toBuffer(chunk);
    onChunk?.(bytes);
    yield* parser.push(bytes);
  }
  yield* parser.end();
}

/**
 * Parses a Node stream in flowing mode, pausing it while messages wait: async iteration would
 * `read()`, which copies every chunk buffered meanwhile into one new Buffer.
 */
async function* readFlowing(stream: Readable, parser: SseParser, onChunk?: (chunk: Buffer) => void): AsyncGenerator<SseMessage> {
  const ready: SseMessage[] = [];
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const onData = (chunk: Buffer): void => {
    onChunk?.(chunk);
    const messages = parser.push(chunk);
    if (messages.length === 0) return;
    ready.push(...messages);
    stream.pause();
    notify();
  };
  stream.on("data", onData);
  // Errors, and a close before the end (ERR_STREAM_PREMATURE_CLOSE), fail the read as iteration would.
  const stopWatching = finished(stream, (error) => {
    if (error) failure = error;
    else if (!ended) ready.push(...parser.end());
    ended = true;
    notify();
  });
  try {
    for (;;) {
      const message = ready.shift();
      if (message !== undefined) {
        yield message;
        continue;
      }
      if (failure !== undefined) throw failure;
      if (ended) return;
      const more = new Promise<void>((resolve) => (wake = resolve));
      stream.resume();
      await more;
    }
  } finally {
    stream.off("data", onData);
    stopWatching();
    // As async iteration does: a reader that stops early releases the connection. undici's body
    // reports that destroy as an 'error' (RequestAbortedError) after finished() stopped listening.
    if (!ended) stream.on("error", () => {}).destroy();
  }
}
