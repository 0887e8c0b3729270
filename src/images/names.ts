export interface AutoNameParts {
  timestamp: Date;
  /** 1-based number of the final image in the run. */
  index: number;
  /** Untrusted backend call id. */
  callId: string;
  ext: string;
  partialIndex?: number;
}

const MAX_ID_LENGTH = 40;

/** `codex-imagen-<YYYYMMDD-HHMMSS-mmm>-<n>-<id>[-partial-<k>].<ext>`, in local time. */
export function autoName(parts: AutoNameParts): string {
  const partial = parts.partialIndex === undefined ? "" : `-partial-${Math.trunc(parts.partialIndex)}`;
  const ext = parts.ext.replace(/[^A-Za-z0-9]/g, "") || "img";
  return `codex-imagen-${formatTimestamp(parts.timestamp)}-${Math.trunc(parts.index)}-${safeCallId(parts.callId)}${partial}.${ext}`;
}

// The id, a partial suffix and a clash suffix (`-2`) all fit the last part; none can hold a separator or a dot.
const AUTO_NAME = /^codex-imagen-\d{8}-\d{6}-\d{3}-\d+-[A-Za-z0-9_-]{1,80}\.(png|jpg|gif|webp)$/;

/** Whether `name` is a bare file name `autoName` could have made (with a clash suffix): nothing else is served as an image. */
export function isAutoName(name: string): boolean {
  return AUTO_NAME.test(name);
}

/** Whether `name` is an automatic name of a streamed partial frame (with a clash suffix). */
export function isPartialFrameName(name: string): boolean {
  return isAutoName(name) && /-partial-\d+(-\d+)?\.[a-z]+$/.test(name);
}

/** The call id reduced to `[A-Za-z0-9_-]`, at most 40 characters, `image` when nothing is left. */
export function safeCallId(callId: string): string {
  return callId.replace(/[^A-Za-z0-9_-]/g, "").slice(0, MAX_ID_LENGTH) || "image";
}

function formatTimestamp(date: Date): string {
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  const day = `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
  return `${day}-${time}-${pad(date.getMilliseconds(), 3)}`;
}
