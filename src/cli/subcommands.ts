/** The first positional words that name a subcommand; each is loaded only when asked for. */
import type { CliContext } from "./context.js";

/** Runs a subcommand with the arguments after its name; resolves with the exit code. */
export type Subcommand = (argv: string[], context: CliContext, signal: AbortSignal) => Promise<number>;

interface SubcommandEntry {
  /** How it is called, for the message when the word shows up anywhere but first. */
  readonly usage: string;
  readonly load: () => Promise<Subcommand>;
}

const SUBCOMMANDS: Readonly<Record<string, SubcommandEntry>> = {
  mcp: { usage: "mcp [flags]", load: async () => (await import("../mcp/command.js")).runMcpCommand },
  serve: { usage: "serve [flags]", load: async () => (await import("../serve/command.js")).runServeCommand },
  studio: { usage: "studio [flags]", load: async () => (await import("../studio/command.js")).runStudioCommand },
  batch: { usage: "batch FILE [flags]", load: async () => (await import("../batch/command.js")).runBatchCommand },
  gallery: { usage: "gallery DIR", load: async () => (await import("../batch/gallery/command.js")).runGalleryCommand },
};

/** The subcommand `word` names, if it names one. */
export function subcommandNamed(word: string | undefined): SubcommandEntry | undefined {
  return word !== undefined && Object.hasOwn(SUBCOMMANDS, word) ? SUBCOMMANDS[word] : undefined;
}
