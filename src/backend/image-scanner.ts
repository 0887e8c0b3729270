/**
 * Lifts the base64 image values out of a JSON text while its bytes stream in: each value is
 * decoded piece by piece (or skipped) as it arrives and replaced by a short placeholder, so the
 * JSON that is finally parsed is a few KB whatever the image size, and no image is held as text.
 */
import { InvalidImageError } from "../errors.js";
import { Base64Decoder, decodeBase64Strict } from "../images/base64.js";
import type { ImageBytes, ImageSpool } from "../images/image-item.js";
import type { BackendEvent } from "./events.js";
import type { LiftedImage, RawImage } from "./raw-image.js";

/** Where a string value sits, from the root: object keys and array indexes. */
export type JsonPath = ReadonlyArray<string | number>;

export interface ImageSpan {
  path: JsonPath;
  /** The `id` of the object holding the value, when it came before the value. */
  id: string | undefined;
}

/** What to do with a value: decode it as it streams (into memory, or into a spool), drop it, or leave it in the JSON. */
export type ImagePlan = "decode" | ImageSpool | "skip" | "inline";
export type ImagePlanner = (span: ImageSpan) => ImagePlan;

/** The keys whose string values are images: a final image's `result`, a partial frame's `partial_image_b64`. */
const IMAGE_KEYS = new Set(["result", "partial_image_b64"]);
const FINGERPRINT_CHARS = 64;
const MAX_DEPTH = 64;
const MAX_CAPTURE = 256;

/**
 * The plan for Responses API payloads: partial frames are decoded only when they will be saved;
 * an image repeated in `response.completed` is skipped, undecoded, when its call id is saved.
 * With `spool`, decoded images stream into the spools it gives (the saver's temp files) instead of memory.
 */
export function planImages(options: { partials: boolean; saved: ReadonlySet<string>; spool?: () => ImageSpool }): ImagePlanner {
  const decode = (): ImagePlan => options.spool?.() ?? "decode";
  return ({ path, id }) => {
    const [first, second, third, fourth] = path;
    if (path.length === 1 && first === "partial_image_b64") return options.partials ? decode() : "skip";
    if (path.length === 2 && first === "item" && second === "result") return decode();
    // `output[i].result` in a whole response object, or in the one `response.completed` carries.
    if (path.length === 3 && first === "output" && typeof second === "number" && third === "result") return decode();
    if (path.length === 4 && first === "response" && second === "output" && typeof third === "number" && fourth === "result") {
      return id !== undefined && options.saved.has(id) ? "skip" : decode();
    }
    return "inline";
  };
}

/** The fingerprint of a base64 string, equal to a lifted image's for the same text. */
export function textFingerprint(b64: string): string {
  return `${b64.length}:${b64.slice(0, FINGERPRINT_CHARS)}:${b64.slice(-FINGERPRINT_CHARS)}`;
}

/** Gives the images of a parsed event the lifted values their placeholders stand for. */
export function attachImages(event: BackendEvent, lifted: ReadonlyMap<string, LiftedImage> | undefined): void {
  if (lifted === undefined || lifted.size === 0) return;
  const images = event.kind === "image" || event.kind === "partial" ? [event.image] : event.kind === "completed" ? event.response.images : [];
  for (const image of images) {
    const found = lifted.get(image.b64);
    if (found) image.lifted = found;
  }
}

/** An image's bytes, decoded once: from the lifted value, or from the base64 string. */
export function imageBytes(image: RawImage, label: string): ImageBytes {
  return image.lifted ? image.lifted.bytes(label) : [decodeBase64Strict(image.b64, label)];
}

export function imageFingerprint(image: RawImage): string {
  return image.lifted ? image.lifted.fingerprint : textFingerprint(image.b64);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SLASH = Buffer.from("/");

/** One lifted value: decoded as it streams (into memory or a spool), or only measured when skipped. */
class ImageSink implements LiftedImage {
  readonly #decoder: Base64Decoder | undefined;
  readonly #spool: ImageSpool | undefined;
  #length = 0;
  #head = "";
  #tail = "";
  /** A backslash ended the last piece: the next byte is escaped. */
  #escape = false;
  #data: ImageBytes | undefined;

  constructor(plan: "decode" | ImageSpool | "skip") {
    this.#spool = typeof plan === "object" ? plan : undefined;
    const spool = this.#spool;
    this.#decoder = plan === "skip" ? undefined : new Base64Decoder(spool && ((slab) => spool.write(slab)));
  }

  get fingerprint(): string {
    return `${this.#length}:${this.#head}:${this.#tail}`;
  }

  /** Takes the raw JSON string bytes; base64 never needs escapes, but `\/` is legal JSON for "/". */
  write(bytes: Buffer): void {
    if (this.#decoder === undefined) return;
    let from = 0;
    if (this.#escape) {
      this.#escape = false;
      this.#feed(bytes[0] === SLASH[0] ? SLASH : bytes.subarray(0, 1));
      from = 1;
    }
    for (;;) {
      const slash = bytes.indexOf(BACKSLASH, from);
      if (slash === -1) return this.#feed(bytes.subarray(from));
      this.#feed(bytes.subarray(from, slash));
      if (slash + 1 === bytes.length) {
        this.#escape = true;
        return;
      }
      // Any escape but `\/` stays as it is and fails the alphabet check.
      this.#feed(bytes[slash + 1] === SLASH[0] ? SLASH : bytes.subarray(slash, slash + 2));
      from = slash + 2;
    }
  }

  bytes(label: string): ImageBytes {
    if (this.#decoder === undefined) {
      // Only when an object names two different call ids: the first was saved, the last was not.
      throw new InvalidImageError(`${label} was skipped as a repeat of a saved image, but its call id is ambiguous; it was not saved. Run the command again.`);
    }
    if (this.#data === undefined) {
      try {
        const slabs = this.#decoder.end(label);
        this.#data = this.#spool ?? slabs;
      } catch (error) {
        this.#spool?.discard();
        throw error;
      }
    }
    return this.#data;
  }

  #feed(piece: Buffer): void {
    if (piece.length === 0) return;
    this.#length += piece.length;
    if (this.#head.length < FINGERPRINT_CHARS) this.#head += piece.toString("latin1", 0, FINGERPRINT_CHARS - this.#head.length);
    this.#tail = piece.length >= FINGERPRINT_CHARS
      ? piece.toString("latin1", piece.length - FINGERPRINT_CHARS)
      : (this.#tail + piece.toString("latin1")).slice(-FINGERPRINT_CHARS);
    (this.#decoder as Base64Decoder).write(piece);
  }
}

interface Frame {
  array: boolean;
  /** Objects: the key of the current member. Arrays: unused. */
  key: string | undefined;
  index: number;
  expectKey: boolean;
  /** The object's `id`, once read. */
  id: string | undefined;
}

const NONE = 0;
const KEY = 1;
const VALUE = 2;
const ID = 3;
const IMAGE = 4;

/**
 * Scans one JSON text fed in pieces. Only the structure is tracked (containers, keys, the `id`
 * of objects); strings are skipped with `indexOf`, so the cost is linear and mostly native.
 */
export class JsonImageScanner {
  readonly #planner: ImagePlanner | undefined;
  readonly #pieces: Buffer[] = [];
  readonly #images = new Map<string, LiftedImage>();
  readonly #frames: Frame[] = [];
  /** Nesting below MAX_DEPTH, counted but not tracked. */
  #untracked = 0;
  #string = NONE;
  /** Inside a string, a backslash ended the last piece. */
  #escaped = false;
  #capture: Buffer[] = [];
  #captured = 0;
  #sink: ImageSink | undefined;
  #markPieces = 0;
  #markImages = 0;

  /** Without a planner the text is only collected. */
  constructor(planner?: ImagePlanner) {
    this.#planner = planner;
  }

  push(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.#planner === undefined) {
      this.#pieces.push(bytes);
      return;
    }
    let segment = 0;
    let i = 0;
    while (i < bytes.length) {
      if (this.#string !== NONE) {
        const close = this.#stringEnd(bytes, i);
        const stop = close === -1 ? bytes.length : close;
        if (this.#string === IMAGE) (this.#sink as ImageSink).write(bytes.subarray(i, stop));
        else if (this.#string !== VALUE) this.#keep(bytes.subarray(i, stop));
        if (close === -1) break;
        if (this.#string === IMAGE) segment = close;
        else this.#closeString();
        this.#string = NONE;
        i = close + 1;
        continue;
      }
      const byte = bytes[i] as number;
      if (byte === QUOTE) {
        const plan = this.#openString();
        if (plan !== "inline") {
          this.#pieces.push(bytes.subarray(segment, i + 1), Buffer.from(`\\u0000image:${this.#images.size}`, "latin1"));
          this.#sink = new ImageSink(plan);
          this.#images.set(`\u0000image:${this.#images.size}`, this.#sink);
        }
      } else {
        this.#structure(byte);
      }
      i += 1;
    }
    if (this.#string !== IMAGE && segment < bytes.length) this.#pieces.push(bytes.subarray(segment));
  }

  /** Remembers the text so far as complete; `rollback` drops what comes after. */
  mark(): void {
    this.#markPieces = this.#pieces.length;
    this.#markImages = this.#images.size;
  }

  rollback(): void {
    this.#pieces.length = this.#markPieces;
    for (const key of [...this.#images.keys()].slice(this.#markImages)) this.#images.delete(key);
  }

  /** The text with placeholders, and the lifted values by placeholder. */
  finish(): { text: string; images: ReadonlyMap<string, LiftedImage> } {
    const text = this.#pieces.length === 1 ? (this.#pieces[0] as Buffer).toString("utf8") : Buffer.concat(this.#pieces).toString("utf8");
    this.#pieces.length = 0;
    return { text, images: this.#images };
  }

  /** Index of the closing quote from `from`, or -1 when the string goes on past these bytes. */
  #stringEnd(bytes: Buffer, from: number): number {
    let at = from;
    if (this.#escaped) {
      this.#escaped = false;
      at += 1;
    }
    for (;;) {
      const quote = at < bytes.length ? bytes.indexOf(QUOTE, at) : -1;
      const end = quote === -1 ? bytes.length : quote;
      let slashes = 0;
      while (end - slashes - 1 >= at && bytes[end - slashes - 1] === BACKSLASH) slashes += 1;
      if (quote === -1) {
        this.#escaped = slashes % 2 === 1;
        return -1;
      }
      if (slashes % 2 === 0) return quote;
      at = quote + 1;
    }
  }

  /** Decides what the string starting here is: a key, an image, an `id` to read, or a value to skip. */
  #openString(): ImagePlan {
    const frame = this.#untracked > 0 ? undefined : this.#frames.at(-1);
    this.#capture = [];
    this.#captured = 0;
    if (frame === undefined || frame.array) this.#string = VALUE;
    else if (frame.expectKey) this.#string = KEY;
    else if (frame.key !== undefined && IMAGE_KEYS.has(frame.key)) {
      const path = this.#frames.map((f) => (f.array ? f.index : (f.key ?? "")));
      const plan = (this.#planner as ImagePlanner)({ path, id: frame.id });
      this.#string = plan === "inline" ? VALUE : IMAGE;
      return plan;
    } else this.#string = frame.key === "id" ? ID : VALUE;
    return "inline";
  }

  #keep(bytes: Buffer): void {
    if (this.#captured > MAX_CAPTURE) return;
    this.#capture.push(Buffer.from(bytes));
    this.#captured += bytes.length;
  }

  #closeString(): void {
    const frame = this.#frames.at(-1);
    if (frame === undefined || (this.#string !== KEY && this.#string !== ID)) return;
    const text = this.#captured > MAX_CAPTURE ? undefined : readJsonString(Buffer.concat(this.#capture));
    if (this.#string === KEY) {
      frame.key = text;
      frame.expectKey = false;
    } else {
      frame.id = text;
    }
  }

  #structure(byte: number): void {
    switch (byte) {
      case 0x7b: // {
      case 0x5b: // [
        if (this.#untracked > 0 || this.#frames.length >= MAX_DEPTH) this.#untracked += 1;
        else this.#frames.push({ array: byte === 0x5b, key: undefined, index: 0, expectKey: byte === 0x7b, id: undefined });
        break;
      case 0x7d: // }
      case 0x5d: // ]
        if (this.#untracked > 0) this.#untracked -= 1;
        else this.#frames.pop();
        break;
      case 0x2c: {
        // ,
        const frame = this.#untracked > 0 ? undefined : this.#frames.at(-1);
        if (frame?.array) frame.index += 1;
        else if (frame) frame.expectKey = true;
        break;
      }
      default:
        break;
    }
  }
}

function readJsonString(raw: Buffer): string | undefined {
  if (raw.indexOf(BACKSLASH) === -1) return raw.toString("utf8");
  try {
    return JSON.parse(`"${raw.toString("utf8")}"`) as string;
  } catch {
    return undefined;
  }
}
