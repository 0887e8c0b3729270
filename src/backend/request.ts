/** Builds the responses request: headers and the JSON body with the image_generation tool. */
import os from "node:os";
import type { Credential } from "../auth/credential.js";
import type { PreparedReference } from "../images/image-item.js";
import type { ImageDetail } from "../options.js";
import { VERSION } from "../version.js";

/** The Codex CLI version we present as; the backend gates on known clients. */
export const CODEX_CLIENT_VERSION = "0.169.0";
export const ORIGINATOR = "codex_cli_rs";

export function userAgent(): string {
  return `codex-imagen/${VERSION} (${os.type()} ${os.release()}; ${os.arch()}) node/${process.versions.node}`;
}

export function requestHeaders(
  credential: Credential,
  sessionId: string,
  clientRequestId: string,
  stream: boolean,
): Record<string, string> {
  return {
    authorization: `Bearer ${credential.accessToken}`,
    "chatgpt-account-id": credential.accountId,
    "content-type": "application/json",
    accept: stream ? "text/event-stream" : "application/json",
    originator: ORIGINATOR,
    session_id: sessionId,
    "session-id": sessionId,
    "x-client-request-id": clientRequestId,
    "user-agent": userAgent(),
    version: CODEX_CLIENT_VERSION,
  };
}

export interface ResponsesBodyInput {
  prompt: string;
  model: string;
  references: PreparedReference[];
  imageDetail: ImageDetail;
  stream: boolean;
  /** Image tool fields the user set; nothing else is sent. */
  tool: Record<string, unknown>;
  promptCacheKey: string;
}

type ContentPart =
  | { type: "input_text"; text: string }
  | { type: "input_image"; image_url: string; detail: ImageDetail };

function referenceParts(references: PreparedReference[], detail: ImageDetail): ContentPart[] {
  return references.flatMap((reference, index): ContentPart[] => [
    { type: "input_text", text: `<image name=[Image #${index + 1}]>` },
    { type: "input_image", image_url: reference.imageUrl, detail },
    { type: "input_text", text: "</image>" },
  ]);
}

export function responsesBody(input: ResponsesBodyInput): string {
  return JSON.stringify({
    model: input.model,
    instructions: "",
    input: [
      {
        type: "message",
        role: "user",
        content: [...referenceParts(input.references, input.imageDetail), { type: "input_text", text: input.prompt }],
      },
    ],
    tools: [{ type: "image_generation", ...input.tool }],
    tool_choice: "auto",
    parallel_tool_calls: false,
    prompt_cache_key: input.promptCacheKey,
    stream: input.stream,
    store: false,
  });
}
