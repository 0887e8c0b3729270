/** Flag tables rendered for `--help`: grouped (the main command, batch) or as one aligned list (mcp, serve). */
import type { FlagSpec } from "./table.js";

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

/** A subcommand's flags, one `  --name VALUE   help` line each, aligned. */
export function flagHelpLines(flags: readonly FlagSpec[]): string[] {
  const label = (flag: FlagSpec) => `--${flag.name}${flag.value ? ` ${flag.value}` : ""}`;
  const width = Math.max(...flags.map((flag) => label(flag).length)) + 2;
  return flags.map((flag) => `  ${label(flag).padEnd(width)}${flag.help}`);
}
