/** Environment that preloads fs-faults.mjs into the CLI under test (see that file for the variables). */
import { fileURLToPath, pathToFileURL } from "node:url";

const HOOK = fileURLToPath(new URL("./fs-faults.mjs", import.meta.url));

export interface FsFaults {
  /** Writes to paths matching this fail half-way with ENOSPC. */
  enospc?: RegExp;
  /** Writes to paths matching this are spread over `slowMs`, and `mark` is created when one starts. */
  slowWrite?: RegExp;
  slowMs?: number;
  mark?: string;
}

export function fsFaultEnv(faults: FsFaults): Record<string, string> {
  return {
    NODE_OPTIONS: `--import=${pathToFileURL(HOOK).href}`,
    ...(faults.enospc && { FAULT_ENOSPC: faults.enospc.source }),
    ...(faults.slowWrite && { FAULT_SLOW_WRITE: faults.slowWrite.source }),
    ...(faults.slowMs !== undefined && { FAULT_SLOW_WRITE_MS: String(faults.slowMs) }),
    ...(faults.mark && { FAULT_SLOW_WRITE_MARK: faults.mark }),
  };
}

/** A regex source matching `path` literally. */
export function literal(path: string): string {
  return path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
