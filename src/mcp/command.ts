/** `codex-imagen mcp`: serves the tools on stdin/stdout until the client closes the pipe (loaded only for this subcommand). */
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { VERSION } from "../version.js";
import { mcpHelpText, parseMcpArgs, type McpContext } from "./args.js";
import { createMcpServer } from "./server.js";

/** Runs the server; resolves with the exit code once the client is gone and running calls have cleaned up. */
export async function runMcpCommand(argv: string[], context: McpContext, signal: AbortSignal): Promise<number> {
  const command = parseMcpArgs(argv, context);
  if (command.kind === "help") {
    process.stdout.write(mcpHelpText(VERSION));
    return 0;
  }
  const { server, idle } = createMcpServer(command.config);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
  });
  await server.connect(transport);
  // The SDK's stdio transport does not notice the client closing our stdin; a signal ends us too.
  const close = (): void => void server.close();
  process.stdin.once("end", close);
  signal.addEventListener("abort", close, { once: true });
  process.stderr.write(`codex-imagen ${VERSION} MCP server ready on stdio; images go to ${command.config.outputDir}\n`);
  await closed;
  await idle();
  signal.throwIfAborted();
  return 0;
}
