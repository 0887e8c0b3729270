// Preloaded into the CLI under test with NODE_OPTIONS="--import <this file>" to inject file-system faults.
//   FAULT_ENOSPC=<regex>       writes to matching absolute paths store half their bytes, then fail with ENOSPC.
//   FAULT_SLOW_WRITE=<regex>   writes to matching paths go out in 32 slices over FAULT_SLOW_WRITE_MS (default 400),
//                              and FAULT_SLOW_WRITE_MARK=<file> is created when the first such write starts,
//                              so a test can signal or kill the process while a file is half written.
import { writeFileSync } from "node:fs";
import fsp from "node:fs/promises";
import { syncBuiltinESMExports } from "node:module";
import path from "node:path";

const enospc = process.env.FAULT_ENOSPC ? new RegExp(process.env.FAULT_ENOSPC) : undefined;
const slow = process.env.FAULT_SLOW_WRITE ? new RegExp(process.env.FAULT_SLOW_WRITE) : undefined;
const slowMs = Number(process.env.FAULT_SLOW_WRITE_MS ?? 400);
const mark = process.env.FAULT_SLOW_WRITE_MARK;
const SLICES = 32;

const toBuffer = (data) =>
  typeof data === "string"
    ? Buffer.from(data, "utf8")
    : Array.isArray(data)
      ? Buffer.concat(data.map(toBuffer))
      : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const noSpace = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28, syscall: "write" });

/** Writes `buffer` with `writeSlice` honouring the configured fault for `file`. */
async function faultyWrite(file, buffer, writeSlice) {
  if (enospc?.test(file)) {
    await writeSlice(buffer.subarray(0, buffer.length >> 1));
    throw noSpace();
  }
  if (slow?.test(file)) {
    if (mark) writeFileSync(mark, file);
    const step = Math.ceil(buffer.length / SLICES) || 1;
    for (let offset = 0; offset < buffer.length; offset += step) {
      await writeSlice(buffer.subarray(offset, offset + step));
      await sleep(slowMs / SLICES);
    }
    return;
  }
  await writeSlice(buffer);
}

const affected = (file) => enospc?.test(file) || slow?.test(file);
const paths = new WeakMap();
const realOpen = fsp.open;
const realWriteFile = fsp.writeFile;

fsp.open = async function open(file, ...rest) {
  const handle = await realOpen.call(this, file, ...rest);
  if (typeof file === "string") paths.set(handle, path.resolve(file));
  return handle;
};

fsp.writeFile = async function writeFile(file, data, options) {
  const absolute = typeof file === "string" ? path.resolve(file) : "";
  if (!affected(absolute)) return realWriteFile.call(this, file, data, options);
  const flag = (typeof options === "object" && options?.flag) || "w";
  const mode = typeof options === "object" ? options?.mode : undefined;
  const handle = await realOpen(absolute, flag, mode);
  try {
    await faultyWrite(absolute, toBuffer(data), (slice) => handle.write(slice));
  } finally {
    await handle.close();
  }
};

// FileHandle is not exported: take its prototype from a real handle.
const probe = await realOpen(process.execPath, "r");
const FileHandle = Object.getPrototypeOf(probe);
await probe.close();
const realHandleWriteFile = FileHandle.writeFile;
FileHandle.writeFile = async function writeFile(data, options) {
  const file = paths.get(this) ?? "";
  if (!affected(file)) return realHandleWriteFile.call(this, data, options);
  await faultyWrite(file, toBuffer(data), (slice) => realHandleWriteFile.call(this, slice));
};

syncBuiltinESMExports();
