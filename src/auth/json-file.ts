/** Reads credential JSON with clear, token-free problems, and writes it back atomically. */
import { open, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { IoError } from "../errors.js";
import { renameWithRetry } from "../fs/rename.js";
import { CredentialProblem, isRecord, StoreAbsent } from "./stores/types.js";

export interface JsonFile {
  readonly json: Record<string, unknown>;
  readonly mode: number;
  /** Kept on write-back so the file changes only where the tokens did. */
  readonly trailingNewline: boolean;
}

function readProblem(error: unknown): CredentialProblem {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR") return new StoreAbsent();
  if (code === "EACCES" || code === "EPERM") return new CredentialProblem("auth_missing", "cannot be read (permission denied)");
  if (code === "EISDIR") return new CredentialProblem("auth_missing", "is a directory, not a file");
  return new CredentialProblem("auth_missing", `cannot be read (${code ?? "unknown error"})`);
}

export async function readJsonFile(path: string): Promise<JsonFile> {
  let text: string;
  let mode: number;
  try {
    const handle = await open(path, "r");
    try {
      mode = (await handle.stat()).mode & 0o777;
      text = await handle.readFile("utf8");
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw readProblem(error);
  }
  if (text.trim() === "") throw new CredentialProblem("auth_missing", "is empty");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's message quotes the file's content, which may hold tokens: never pass it on.
    throw new CredentialProblem("auth_missing", "is not valid JSON (truncated or corrupted?)");
  }
  if (!isRecord(json)) throw new CredentialProblem("auth_missing", "is not a JSON object");
  return { json, mode, trailingNewline: text.endsWith("\n") };
}

/** Temp file in the same directory + rename, so readers see the old or the new file, never half of one. */
export async function writeJsonFileAtomic(path: string, json: unknown, mode: number, trailingNewline: boolean): Promise<void> {
  const text = JSON.stringify(json, null, 2) + (trailingNewline ? "\n" : "");
  // Only writers need node:crypto; a run that merely reads credentials never loads it.
  const { randomBytes } = await import("node:crypto");
  const temp = join(dirname(path), `${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await open(temp, "wx", mode);
    try {
      await handle.writeFile(text, "utf8");
      // The umask may have narrowed the create mode.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new IoError(`Could not write the refreshed credentials to ${path} (${code}); the file is unchanged. Fix the cause (permissions, disk space), and log in again if its refresh token stops working.`, error);
  }
}
