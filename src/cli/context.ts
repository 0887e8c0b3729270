/** What a command reads from the process, handed in so that commands and their tests never touch `process` directly. */
export interface CliContext {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  homeDir: string;
  readStdin: () => Promise<string>;
}
