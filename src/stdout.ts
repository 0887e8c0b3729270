/** Writing a command's answer to stdout: resolved once the text is handed to the OS, so an exit never cuts it. */

export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (text === "") resolve();
    else process.stdout.write(text, () => resolve());
  });
}

/** One JSON document, pretty-printed, with its final newline. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
