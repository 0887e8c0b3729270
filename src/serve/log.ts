/** The server's stderr: one line per request (never a token; the prompt only with --verbose), plus warnings. */
import { redactTokens } from "../backend/errors.js";

export interface RequestLine {
  method: string;
  path: string;
  status: number;
  images: number;
  ms: number;
  id: string;
  error?: string;
  /** The client went away before the answer was complete. */
  clientClosed: boolean;
  prompt?: string;
}

export interface ServeLog {
  info(message: string): void;
  warning(requestId: string, message: string): void;
  request(line: RequestLine): void;
}

export function createLog(verbose: boolean, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): ServeLog {
  return {
    info: (message) => write(message),
    warning: (requestId, message) => write(`warning ${requestId}: ${redactTokens(message)}`),
    request: (line) => {
      const parts = [line.method, line.path, String(line.status), `images=${line.images}`, `${line.ms}ms`, line.id];
      if (line.error !== undefined) parts.push(`error=${line.error}`);
      if (line.clientClosed) parts.push("client-closed");
      if (verbose && line.prompt !== undefined) parts.push(`prompt=${JSON.stringify(line.prompt)}`);
      write(parts.join(" "));
    },
  };
}
