/** Starts the built bundle's MCP server (`codex-imagen mcp`) in a clean env and connects the SDK's client over stdio. */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { BUNDLE, cleanEnv, type TempHome } from "./run-cli.js";

export interface McpSession {
  client: Client;
  /** Everything the server wrote on stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

export interface McpStartOptions {
  /** Overrides of the clean env; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** The server's cwd (default: HOME). */
  cwd?: string;
}

export async function startMcp(home: TempHome, args: string[], { env = {}, cwd = home.home }: McpStartOptions = {}): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BUNDLE, "mcp", ...args],
    env: cleanEnv(home, env) as Record<string, string>,
    cwd,
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const client = new Client({ name: "codex-imagen-test", version: "0.0.0" });
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

/** The text of a tool result's text blocks, joined. */
export function resultText(result: CallToolResult): string {
  return result.content
    .filter((block) => block.type === "text")
    .map((block) => block.text)
    .join("\n");
}
