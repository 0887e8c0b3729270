/** The MCP server: tools `generate_image` and `edit_image` on the same run as the CLI; every failure is a tool error. */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult, ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import { toCodexImagenError } from "../errors.js";
import { generateImages } from "../library/generate-images.js";
import { generateResultSchema } from "../library/result-schema.js";
import { VERSION } from "../version.js";
import type { McpConfig } from "./args.js";
import { ToolProgress } from "./progress.js";
import { errorResult, successResult } from "./tool-result.js";
import { callOptions, editImageShape, generateImageShape, strictArguments, type ToolArgs } from "./tools.js";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const INSTRUCTIONS =
  "Generates and edits raster images with the user's ChatGPT/Codex login. Images are saved as files; the result lists their absolute paths (and shows small ones inline). A call can take a few minutes.";

export interface CodexImagenMcpServer {
  server: McpServer;
  /** Resolves when no tool call is running any more (so a closing server can let runs clean up). */
  idle(): Promise<void>;
}

export function createMcpServer(config: McpConfig): CodexImagenMcpServer {
  const server = new McpServer({ name: "codex-imagen", version: VERSION }, { instructions: INSTRUCTIONS });
  const running = new Set<Promise<CallToolResult>>();

  async function run(args: ToolArgs, extra: Extra): Promise<CallToolResult> {
    const warnings: string[] = [];
    const token = extra._meta?.progressToken;
    const progress =
      token === undefined
        ? undefined
        : new ToolProgress(
            (value, message) => extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: value, message } }),
            args.count ?? 1,
          );
    progress?.start();
    try {
      const options = await callOptions(args, config);
      const result = await generateImages(options, {
        signal: extra.signal,
        onEvent: (event) => {
          if (event.type === "warning") warnings.push(event.message);
          progress?.onEvent(event);
        },
      });
      return await successResult(result, warnings);
    } catch (error) {
      return errorResult(toCodexImagenError(error));
    } finally {
      progress?.stop();
    }
  }

  const tracked = (args: ToolArgs, extra: Extra): Promise<CallToolResult> => {
    const call = run(args, extra);
    running.add(call);
    void call.finally(() => running.delete(call));
    return call;
  };

  const annotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };
  server.registerTool(
    "generate_image",
    {
      title: "Generate image",
      description:
        "Create new images from a text prompt and save them as files. Returns the saved paths with metadata, and the images themselves when they are at most 1 MB. Takes from several seconds to a few minutes.",
      inputSchema: strictArguments(generateImageShape(config)),
      outputSchema: generateResultSchema,
      annotations,
    },
    tracked,
  );
  server.registerTool(
    "edit_image",
    {
      title: "Edit image",
      description:
        'Edit or combine existing images (local files or URLs) following a prompt that calls them "Image 1", "Image 2", ...; an optional mask limits the change to its transparent area. Saves new files and returns them like generate_image.',
      inputSchema: strictArguments(editImageShape(config)),
      outputSchema: generateResultSchema,
      annotations,
    },
    tracked,
  );

  return {
    server,
    idle: async () => {
      await Promise.allSettled([...running]);
    },
  };
}
