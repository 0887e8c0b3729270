/** One line appended to a log shared by several processes: one `write` of the whole line (O_APPEND), then fsync. */
import { open, type FileHandle } from "node:fs/promises";
import { libraryIoError } from "./io-error.js";

const LF = 0x0a;

export async function appendLine(file: string, record: object): Promise<void> {
  try {
    const handle = await open(file, "a+");
    try {
      const line = `${JSON.stringify(record)}\n`;
      // A line a killed writer left unfinished must not swallow this one: start it on a line of its own.
      const text = (await endsInNewline(handle)) ? line : `\n${line}`;
      const data = Buffer.from(text, "utf8");
      const { bytesWritten } = await handle.write(data);
      if (bytesWritten !== data.length) throw Object.assign(new Error("short write"), { code: "ENOSPC" });
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw libraryIoError(`Could not add to the studio library's log ${file}`, error);
  }
}

async function endsInNewline(handle: FileHandle): Promise<boolean> {
  const { size } = await handle.stat();
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0] === LF;
}
