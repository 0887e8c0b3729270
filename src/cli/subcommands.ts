/** The first positional words that name a subcommand; each is loaded only when asked for. */

export interface SubcommandContext {
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
}

/** Runs a subcommand with the arguments after its name; resolves with the exit code. */
export type Subcommand = (argv: string[], context: SubcommandContext, signal: AbortSignal) => Promise<number>;

const SUBCOMMANDS: Readonly<Record<string, () => Promise<Subcommand>>> = {
  mcp: async () => (await import("../mcp/command.js")).runMcpCommand,
};

/** The loader of the subcommand `word` names, if it names one. */
export function subcommandNamed(word: string | undefined): (() => Promise<Subcommand>) | undefined {
  return word !== undefined && Object.hasOwn(SUBCOMMANDS, word) ? SUBCOMMANDS[word] : undefined;
}
