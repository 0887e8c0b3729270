#!/usr/bin/env node
/**
 * CLI entry: the only place that reads argv and sets the exit code. `--help` and `--version` are
 * answered from the flag table alone; everything else is loaded on demand, so they start fast.
 */
import { parseArgs } from "node:util";
import { VERSION } from "../version.js";
import { CLI_PARSE_CONFIG } from "../flags/table.js";
import { helpText } from "./help.js";
import { writeStdout } from "../stdout.js";
import { subcommandNamed } from "./subcommands.js";

/** The text `--help` or `--version` asks for; undefined when the command line asks for anything else, or is wrong. */
function quickAnswer(argv: string[]): string | undefined {
  if (subcommandNamed(argv[0]) !== undefined) return undefined;
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ ...CLI_PARSE_CONFIG, args: argv }));
  } catch {
    return undefined; // the full parser explains what is wrong
  }
  if (values.help === true) return helpText(VERSION);
  if (values.version === true) return `${VERSION}\n`;
  return undefined;
}

/** Node 22.1+ can keep the compiled chunks between runs (in its own temp-dir cache); Node 20 cannot. */
function keepCompiledCode(): void {
  if (Number(process.versions.node.split(".")[0]) < 22) return;
  const nodeModule = process.getBuiltinModule?.("node:module") as { enableCompileCache?: () => unknown } | undefined;
  nodeModule?.enableCompileCache?.();
}

const argv = process.argv.slice(2);
const answer = quickAnswer(argv);
if (answer !== undefined) await writeStdout(answer);
if (answer === undefined) keepCompiledCode();
process.exit(answer !== undefined ? 0 : await (await import("./run.js")).runCommandLine(argv));
