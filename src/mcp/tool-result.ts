/** A run's result or error as an MCP tool result: text for the model, image blocks, and the `--json` object. */
import { readFile } from "node:fs/promises";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { CodexImagenError } from "../errors.js";
import type { GenerateResult, SavedImage } from "../result.js";

/** Spec §0: an image goes inline only up to 1 MB; larger ones are reported by path. */
export const MAX_INLINE_IMAGE_BYTES = 1024 * 1024;

type Content = CallToolResult["content"][number];

function describeImage(image: SavedImage): string {
  const size = image.width !== null && image.height !== null ? `${image.width}x${image.height}, ` : "";
  const kb = Math.max(1, Math.round(image.bytes / 1024));
  const revised = image.revised_prompt ? `\n  revised prompt: ${image.revised_prompt}` : "";
  return `- ${image.path} (${image.mime}, ${size}${kb} KB)${revised}`;
}

function summary(result: GenerateResult, warnings: readonly string[]): string[] {
  const finals = result.images.filter((image) => !image.partial);
  const lines = [
    finals.length === 0 ? "No image was saved." : `Saved ${finals.length} image${finals.length === 1 ? "" : "s"}:`,
    ...finals.map(describeImage),
  ];
  for (const request of result.requests) {
    if (request.error) lines.push(`Request ${request.index + 1} of ${result.requests.length} failed (${request.error.code}): ${request.error.message}`);
  }
  if (result.timed_out) lines.push("The run timed out after these images were saved.");
  const large = finals.filter((image) => image.bytes > MAX_INLINE_IMAGE_BYTES).length;
  if (large > 0) lines.push(`${large} image${large === 1 ? " is" : "s are"} larger than 1 MB and not shown inline; open the file.`);
  lines.push(`backend ${result.backend}, model ${result.model}, ${(result.elapsed_ms / 1000).toFixed(1)} s.`);
  for (const warning of warnings) lines.push(`Warning: ${warning}`);
  return lines;
}

async function imageBlocks(result: GenerateResult): Promise<Content[]> {
  const blocks: Content[] = [];
  for (const image of result.images) {
    if (image.partial || image.bytes > MAX_INLINE_IMAGE_BYTES) continue;
    const data = await readFile(image.path).catch(() => undefined);
    if (data !== undefined) blocks.push({ type: "image", data: data.toString("base64"), mimeType: image.mime });
  }
  return blocks;
}

export async function successResult(result: GenerateResult, warnings: readonly string[]): Promise<CallToolResult> {
  return {
    content: [{ type: "text", text: summary(result, warnings).join("\n") }, ...(await imageBlocks(result))],
    structuredContent: { ...result },
  };
}

/** A tool error carries the CLI's message and code, plus whatever was saved before the failure. */
export function errorResult(error: CodexImagenError): CallToolResult {
  const saved = (error.result?.images ?? []).filter((image) => !image.partial);
  const lines = [`codex-imagen failed (${error.code}): ${error.message}`];
  if (saved.length > 0) lines.push("Saved before the failure:", ...saved.map(describeImage));
  for (const warning of error.result?.warnings ?? []) lines.push(`Warning: ${warning.message}`);
  return { content: [{ type: "text", text: lines.join("\n") }], isError: true };
}
