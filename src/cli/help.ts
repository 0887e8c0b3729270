/** `--help` text, rendered from the flag table. */
import { FLAGS, type FlagSpec } from "./flags.js";

function flagLabel(flag: FlagSpec): string {
  const long = `--${flag.name}${flag.value ? ` ${flag.value}` : ""}`;
  return flag.short ? `-${flag.short}, ${long}` : `    ${long}`;
}

/** The flags as `--help` lists them, under their group names. */
export function flagTable(flags: readonly FlagSpec[]): string[] {
  const lines: string[] = [];
  const width = Math.max(...flags.map((flag) => flagLabel(flag).length)) + 2;
  let group = "";
  for (const flag of flags) {
    if (flag.group !== group) {
      group = flag.group;
      lines.push("", `${group}:`);
    }
    lines.push(`  ${flagLabel(flag).padEnd(width)}${flag.help}`);
  }
  return lines;
}

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
