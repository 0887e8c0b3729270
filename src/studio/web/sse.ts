/**
 * Server-sent events from a fetch body, found in bytes: the pieces of an unfinished line wait in a list and are
 * joined once at its end, so a multi-megabyte preview costs one copy, not one per network chunk.
 */
import { concatBytes } from "../../bytes.js";

export interface SseMessage {
  event: string;
  data: string;
}

const LF = 0x0a;

export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  const pieces: Uint8Array[] = [];
  let event = "message";
  let data: string[] = [];
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      let start = 0;
      for (let end = value.indexOf(LF); end !== -1; end = value.indexOf(LF, start)) {
        pieces.push(value.subarray(start, end));
        start = end + 1;
        const taken = pieces.splice(0);
        const line = decoder.decode(taken.length === 1 ? (taken[0] as Uint8Array) : concatBytes(taken));
        const text = line.endsWith("\r") ? line.slice(0, -1) : line;
        if (text === "") {
          if (data.length > 0) yield { event, data: data.join("\n") };
          event = "message";
          data = [];
        } else if (text.startsWith("data:")) data.push(text.slice(text.startsWith("data: ") ? 6 : 5));
        else if (text.startsWith("event:")) event = text.slice(6).trim();
      }
      if (start < value.length) pieces.push(value.subarray(start));
    }
  } finally {
    reader.releaseLock();
  }
}
