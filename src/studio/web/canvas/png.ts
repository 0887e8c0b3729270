/** PNG encoding in the page, exact to the byte values given (a canvas's toBlob would round semi-transparent pixels). */
import { assemblePng, scanlines } from "../../../images/png-container.js";

async function deflate(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([data]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function encodePng(width: number, height: number, rgba: Uint8Array): Promise<Blob> {
  const lines = scanlines(width, height, rgba);
  return new Blob([assemblePng(width, height, lines.colourType, await deflate(lines.data))], { type: "image/png" });
}
