/** `codex-imagen batch FILE`: validate every job, run them (resuming), show progress, print paths or one JSON summary. */
import { resolve } from "node:path";
import { formatJson, writeStdout } from "../stdout.js";
import { requestOptions } from "../flags/request.js";
import { UsageError } from "../errors.js";
import { resolveOptions } from "../library/options.js";
import { imageArgs } from "../validate/image-options.js";
import { flagName } from "../validate/values.js";
import { VERSION } from "../version.js";
import { batchFlags, batchHelpText, parseBatchArgs } from "./args.js";
import { readBatchInput } from "./input.js";
import { type BatchProgress, ProgressLines } from "./progress.js";
import { runBatch } from "./run-batch.js";
import type { BatchResult } from "./summary.js";
import { BatchInputError, type BatchProblem, validateJobs } from "./validate.js";

export interface BatchCommandContext {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  homeDir: string;
  readStdin: () => Promise<string>;
}

const silent: BatchProgress = { event: () => undefined, stdout: (text) => void process.stdout.write(text), stop: () => undefined };

async function progressFor(quiet: boolean): Promise<BatchProgress> {
  if (quiet) return silent;
  if (!process.stderr.isTTY) return new ProgressLines(process.stderr);
  // The terminal library is loaded only when there is a terminal to draw on.
  const { ProgressBlock } = await import("./progress-block.js");
  return new ProgressBlock(process.stderr, process.stdout.isTTY === true);
}

async function reportProblems(label: string, problems: BatchProblem[], json: boolean): Promise<number> {
  const error = new BatchInputError(label, problems, "line");
  if (json) await writeStdout(formatJson({ error: { code: error.code, message: error.message, problems } }));
  process.stderr.write(`error: ${error.message}\n`);
  return error.exitCode;
}

function exitCode(result: BatchResult, quiet: boolean): number {
  const { counts } = result;
  if (result.stopped) {
    process.stderr.write(`error: ${result.stopped.message}\n`);
    return 1;
  }
  if (counts.failed > 0) {
    process.stderr.write(
      `error: ${counts.failed} of ${counts.total} jobs failed (errors in ${result.manifest} and ${result.gallery}); run the same command again to retry them.\n`,
    );
    return 1;
  }
  if (!quiet) {
    const skipped = counts.skipped > 0 ? ` (${counts.skipped} done before)` : "";
    process.stderr.write(`batch: all ${counts.total} jobs done${skipped}; gallery: ${result.gallery}\n`);
  }
  return 0;
}

export async function runBatchCommand(argv: string[], context: BatchCommandContext, signal: AbortSignal): Promise<number> {
  const args = parseBatchArgs(argv);
  if (args.kind === "help") {
    await writeStdout(batchHelpText(VERSION));
    return 0;
  }
  const { values } = args;
  const flags = batchFlags(values);
  const json = Boolean(values.json);
  const quiet = Boolean(values.quiet);
  const input = await readBatchInput(args.file, context.cwd, context.readStdin);
  const outDirFlag = values["out-dir"] as string | undefined;
  const outDir = outDirFlag === undefined ? input.defaultOutDir : resolve(context.cwd, outDirFlag);
  const { options: base } = resolveOptions({
    ...requestOptions(values, (path) => resolve(context.cwd, path)),
    prompt: "batch",
    outputDir: outDir,
    cwd: input.baseDir,
    env: context.env,
    homeDir: context.homeDir,
  });
  // The defaults alone must be valid: their mistakes are the command line's, not every job's.
  imageArgs(flags.image, base.backend, base.stream, flagName);
  const validated = validateJobs(input.records, { base, image: flags.image, nameOf: flagName, baseDir: input.baseDir });
  if (validated.problems.length > 0) return reportProblems(input.label, validated.problems, json);
  if (validated.jobs.length === 0) throw new UsageError(`${input.label} has no jobs; put one job per line (see codex-imagen batch --help).`);
  if (!quiet) for (const warning of validated.warnings) process.stderr.write(`warning: ${warning}\n`);

  const progress = await progressFor(quiet);
  let result: BatchResult;
  try {
    result = await runBatch(
      validated.jobs,
      base,
      {
        outDir,
        concurrency: flags.concurrency,
        retryFailed: flags.retryFailed,
        force: flags.force,
        maxWaitMs: flags.maxWaitSeconds * 1000,
        words: {
          maxWait: `--max-wait ${flags.maxWaitSeconds} s`,
          // With --force the same command would redo the jobs this run finished.
          resume: flags.force ? "run the same command without --force" : "run the same command again",
          outDir: "--out-dir",
          nameOf: flagName,
          force: "pass --force",
        },
      },
      {
        signal,
        onEvent: (event) => {
          progress.event(event);
          if (!json && event.type === "job-end") progress.stdout(event.record.images.map((image) => `${image.path}\n`).join(""));
        },
      },
    );
  } finally {
    progress.stop();
  }
  if (json) await writeStdout(formatJson(result));
  return exitCode(result, quiet);
}
