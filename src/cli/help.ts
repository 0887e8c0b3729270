/** The main command's `--help` text, rendered from the flag table. */
import { flagTable } from "../flags/help.js";
import { FLAGS } from "../flags/table.js";

export function helpText(version: string): string {
  const lines = [
    `codex-imagen ${version} — generate and edit images with your Codex CLI or OpenClaw login`,
    "",
    "Usage:",
    '  codex-imagen [options] "a prompt"',
    "  codex-imagen [options] --prompt-file prompt.txt",
    '  codex-imagen --backend mock "a red fox"     (offline placeholder, no login)',
    "  codex-imagen --smoke                        (check credentials)",
    "  codex-imagen mcp [--root DIR ...]           (stdio MCP server; see mcp --help)",
    "  codex-imagen batch jobs.jsonl               (many images, resumable; see batch --help)",
    "  codex-imagen gallery DIR                    (rebuild a batch's index.html; see gallery --help)",
    "  codex-imagen serve [--port 8319 ...]        (OpenAI Images API on your login; see serve --help)",
    "  codex-imagen studio                         (a web page to make and edit images; see studio --help)",
    "",
    "Prints one saved image path per line (or one JSON document with --json).",
  ];
  lines.push(...flagTable(FLAGS));
  lines.push(
    "",
    "Exit codes: 0 success (also when a timeout came after images were saved), 1 failure,",
    "2 usage error, 124 timed out with nothing saved, 130/143 interrupted.",
  );
  return `${lines.join("\n")}\n`;
}
