/** `codex-imagen mcp`: serves the tools on stdin/stdout until the client closes the pipe (loaded only for this subcommand). */
import { VERSION } from "../version.js";
import { AnsweringTransport } from "./answering-transport.js";
import { mcpHelpText, parseMcpArgs, type McpContext } from "./args.js";
import { createMcpServer } from "./server.js";

/** Runs the server; resolves with the exit code once the client is gone and every call it sent is answered (or a signal cut them short). */
export async function runMcpCommand(argv: string[], context: McpContext, signal: AbortSignal): Promise<number> {
  const command = parseMcpArgs(argv, context);
  if (command.kind === "help") {
    process.stdout.write(mcpHelpText(VERSION));
    return 0;
  }
  const { server, idle } = createMcpServer(command.config);
  const transport = new AnsweringTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
  });
  await server.connect(transport);
  const close = (): void => void server.close();
  // The SDK's stdio transport does not notice the client closing our stdin. Calls sent before that are still answered,
  // as long as their own timeouts allow; a signal ends us at once (their runs are aborted).
  process.stdin.once("end", () => void transport.allAnswered().then(close));
  signal.addEventListener("abort", close, { once: true });
  process.stderr.write(`codex-imagen ${VERSION} MCP server ready on stdio; images go to ${command.config.outputDir}\n`);
  await closed;
  await idle();
  signal.throwIfAborted();
  return 0;
}
