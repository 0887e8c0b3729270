/**
 * Server-sent events from a fetch body, found in bytes: the pieces of an unfinished line wait in a list and are
 * joined once at its end, so a multi-megabyte preview costs one copy, not one per network chunk.
 */

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
        const line = decoder.decode(joined(pieces.splice(0)));
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

function joined(pieces: Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0] as Uint8Array;
  const out = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}
