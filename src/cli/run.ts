/** Everything the CLI does past `--help` and `--version`: signals, subcommands, parsing, the run, its output and exit code. */
import { homedir } from "node:os";
import { refreshOnly, smokeSummary } from "../auth/index.js";
import { useProxyFromEnv } from "../net/proxy.js";
import { CodexImagenError, toCodexImagenError } from "../errors.js";
import type { RunFailure } from "../run/generate.js";
import type { GenerateOptions } from "../options.js";
import { parseCommandLine, type CliCommand } from "./args.js";
import { formatJson, writeStdout } from "../stdout.js";
import { formatPaths, formatSummary } from "./print.js";
import { formatRateLimits } from "./format.js";
import { ProgressLine } from "./progress-line.js";
import { Reporter } from "./reporter.js";
import { subcommandNamed } from "./subcommands.js";

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

// Generation pulls in zod schemas, HTTP and image code: `--smoke` and `--refresh-only` never load them.
let generateModule: typeof import("../run/generate.js") | undefined;

async function loadGenerate(): Promise<typeof import("../run/generate.js")> {
  generateModule ??= await import("../run/generate.js");
  return generateModule;
}

function asRunFailure(thrown: unknown): RunFailure | undefined {
  return generateModule !== undefined && thrown instanceof generateModule.RunFailure ? thrown : undefined;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function authExtras(options: GenerateOptions) {
  return {
    endpoint: `${options.baseUrl.replace(/\/+$/, "")}/responses`,
    model: options.model,
    out_dir: options.outDir,
    retries: options.retries,
    timeout_seconds: options.timeoutMs / 1000,
  };
}

/** `--smoke` and `--refresh-only`: warnings on stderr, the summary on stdout (`lines` follow it in plain mode). */
async function printSummary(summary: Record<string, unknown>, json: boolean, lines: string[], reporter: Reporter): Promise<number> {
  const warnings = summary.warnings;
  if (Array.isArray(warnings)) for (const warning of warnings) reporter.warn(String(warning));
  await writeStdout(json ? formatJson(summary) : formatSummary(summary) + lines.map((line) => `${line}\n`).join(""));
  return 0;
}

async function execute(command: CliCommand, reporter: Reporter, signal: AbortSignal): Promise<number> {
  switch (command.kind) {
    case "smoke": {
      const { options, presentation } = command;
      const smoke = await smokeSummary(options.auth, authExtras(options), signal);
      // The usage reader (HTTP, its schema) is loaded only when the limits are asked for.
      const checked = presentation.usage ? await (await import("./smoke-usage.js")).smokeWithUsage(smoke, options.baseUrl, signal) : undefined;
      const summary = checked?.summary ?? smoke.summary;
      return printSummary(summary, presentation.json, checked?.lines ?? [], reporter);
    }
    case "refresh-only":
      return printSummary(await refreshOnly(command.options.auth, signal), command.presentation.json, [], reporter);
    case "generate": {
      const { options, presentation } = command;
      const { runGeneration } = await loadGenerate();
      if (process.stderr.isTTY) reporter.showLine(new ProgressLine(process.stderr, options.count));
      try {
        const result = await runGeneration(options, { signal, onEvent: (event) => reporter.progress(event) });
        reporter.stopLine();
        if (presentation.usage) for (const line of formatRateLimits(result.rate_limits)) reporter.always(line);
        await writeStdout(presentation.json ? formatJson(result) : formatPaths(result));
        return 0;
      } catch (error) {
        reporter.stopLine();
        const failure = asRunFailure(error);
        if (presentation.usage && failure) {
          for (const line of formatRateLimits(failure.result.rate_limits)) reporter.always(line);
        }
        throw error;
      }
    }
  }
}

/** Runs the command line `argv` (without node and the script) and resolves with the exit code. */
export async function runCommandLine(argv: string[]): Promise<number> {
  const json = argv.includes("--json");
  let reporter = new Reporter(argv.includes("--quiet") ? "quiet" : "normal");
  const interrupt = new AbortController();
  let interruptedBy: keyof typeof SIGNAL_EXIT_CODES | undefined;
  for (const name of Object.keys(SIGNAL_EXIT_CODES) as Array<keyof typeof SIGNAL_EXIT_CODES>) {
    process.on(name, () => {
      if (interruptedBy) process.exit(SIGNAL_EXIT_CODES[name]);
      interruptedBy = name;
      interrupt.abort(new CodexImagenError("backend", `Interrupted by ${name}; nothing more will be saved.`));
    });
  }
  try {
    // Only records the variables: undici is loaded on the first request, and only when a proxy is set.
    useProxyFromEnv(process.env);
    const context = { env: process.env, cwd: process.cwd(), homeDir: homedir(), readStdin };
    const subcommand = subcommandNamed(argv[0]);
    if (subcommand !== undefined) return await (await subcommand.load())(argv.slice(1), context, interrupt.signal);
    const command = await parseCommandLine(argv, context);
    reporter = new Reporter(command.presentation.verbosity);
    for (const warning of command.warnings) reporter.warn(warning);
    return await execute(command, reporter, interrupt.signal);
  } catch (thrown) {
    const failure = asRunFailure(thrown);
    const error = failure ? failure.error : toCodexImagenError(thrown);
    if (json) await writeStdout(formatJson({ ...failure?.result, error: { code: error.code, message: error.message } }));
    else if (failure) await writeStdout(formatPaths(failure.result));
    reporter.error(error.message, thrown instanceof Error ? thrown.stack : undefined);
    return interruptedBy ? SIGNAL_EXIT_CODES[interruptedBy] : error.exitCode;
  }
}
