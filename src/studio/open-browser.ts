/** Opens a URL in the user's browser; a machine without one gets a note, never a failure. */
import { spawn } from "node:child_process";

export interface BrowserCommand {
  command: string;
  args: string[];
}

/** `$BROWSER` first (as Python's webbrowser and many CLIs honour it; `%s` marks the URL), else the platform's opener. */
export function browserCommand(url: string, env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): BrowserCommand {
  const chosen = env.BROWSER?.split(":").find((entry) => entry.trim() !== "");
  if (chosen !== undefined) {
    const words = chosen.trim().split(/\s+/);
    const args = words.slice(1);
    return { command: words[0] as string, args: args.includes("%s") ? args.map((arg) => (arg === "%s" ? url : arg)) : [...args, url] };
  }
  if (platform === "darwin") return { command: "open", args: [url] };
  // `start` takes its first quoted argument as a window title.
  if (platform === "win32") return { command: "cmd", args: ["/c", "start", '""', url] };
  return { command: "xdg-open", args: [url] };
}

/** Starts the browser; resolves with a note for the user when it could not (the page's URL is on stdout either way). */
export function openInBrowser(url: string, env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform = process.platform): Promise<string | undefined> {
  const { command, args } = browserCommand(url, env, platform);
  const couldNot = (why: string): string => `Could not open a browser (${command} ${why}); open ${url} yourself.`;
  return new Promise((resolve) => {
    // `start ""` needs its quotes as written: Node would escape them on Windows.
    const child = spawn(command, args, { stdio: "ignore", detached: true, windowsHide: true, windowsVerbatimArguments: platform === "win32" && command === "cmd" });
    child.once("error", (error: NodeJS.ErrnoException) => resolve(couldNot(error.code === "ENOENT" ? "was not found" : `failed: ${error.message}`)));
    child.once("exit", (code) => resolve(code === 0 || code === null ? undefined : couldNot(`exited with ${code}`)));
    child.unref();
  });
}
