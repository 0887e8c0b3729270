/**
 * Server-sent events from a byte stream. Line ends are found in the bytes; the chunks of an
 * unfinished line are kept in a list and joined once, so a 16 MB `data:` line costs one copy.
 */

export interface SseMessage {
  /** The `event:` field, when the server sent one. */
  event: string | undefined;
  data: string;
}

const LF = 0x0a;
const CR = 0x0d;

/** Splits a byte stream into lines (LF or CRLF), without the terminator; an unterminated tail is a cut line and dropped. */
export async function* readLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  for await (const chunk of chunks) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    let end = bytes.indexOf(LF, start);
    while (end !== -1) {
      const tail = bytes.subarray(start, end);
      const line = pending.length === 0 ? tail : Buffer.concat([...pending, tail]);
      pending = [];
      yield line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line;
      start = end + 1;
      end = bytes.indexOf(LF, start);
    }
    if (start < bytes.length) pending.push(bytes.subarray(start));
  }
}

const DATA = Buffer.from("data:");
const EVENT = Buffer.from("event:");

function fieldValue(line: Buffer, prefixLength: number): string {
  const skip = line[prefixLength] === 0x20 ? prefixLength + 1 : prefixLength;
  return line.toString("utf8", skip);
}

/** Groups lines into messages at blank lines; comments and unknown fields are ignored. */
export async function* readSseMessages(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<SseMessage> {
  let event: string | undefined;
  let data: string[] = [];
  for await (const line of readLines(chunks)) {
    if (line.length === 0) {
      if (data.length > 0) yield { event, data: data.length === 1 ? (data[0] as string) : data.join("\n") };
      event = undefined;
      data = [];
    } else if (line.subarray(0, DATA.length).equals(DATA)) {
      data.push(fieldValue(line, DATA.length));
    } else if (line.subarray(0, EVENT.length).equals(EVENT)) {
      event = fieldValue(line, EVENT.length);
    }
  }
  // A stream that ends without the final blank line still delivers its last complete event.
  if (data.length > 0) yield { event, data: data.length === 1 ? (data[0] as string) : data.join("\n") };
}
