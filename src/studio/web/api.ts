/** Every request the page makes, to its own server only; components never call fetch. */
import { type AccessInfo, API, type AccountInfo, PAGE_HEADER, type PageError, type PageFile, type PageImage, type PageRun, type RunEvent, type RunPage, type RunRequest, type SessionInfo } from "../protocol.js";
import { readSse } from "./sse.js";

const KEY_STORAGE = "codex-imagen-api-key";

/** The failure of a request, with the server's words and what to correct. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: PageError,
  ) {
    super(error.message);
  }
}

/** The API key a non-loopback server needs; kept for this browser tab only. */
export const apiKey = {
  get: (): string | null => sessionStorage.getItem(KEY_STORAGE),
  set: (key: string): void => sessionStorage.setItem(KEY_STORAGE, key),
  clear: (): void => sessionStorage.removeItem(KEY_STORAGE),
};

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const key = apiKey.get();
  const own = { ...extra, [PAGE_HEADER]: "1" };
  return key === null ? own : { ...own, authorization: `Bearer ${key}` };
}

async function failure(response: Response): Promise<ApiError> {
  let error: PageError = { code: `http_${response.status}`, message: `The server answered ${response.status} ${response.statusText}.` };
  try {
    const body = (await response.json()) as { error?: { message?: string; code?: string | null; param?: string | null } };
    if (body.error?.message) error = { code: body.error.code ?? error.code, message: body.error.message, param: body.error.param ?? null };
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(response.status, error);
}

async function call<T>(method: string, path: string, body?: { json: unknown } | { bytes: Blob }, signal?: AbortSignal): Promise<T> {
  const init: RequestInit = { method, headers: headers(), signal: signal ?? null };
  if (body !== undefined && "json" in body) {
    init.headers = headers({ "content-type": "application/json" });
    init.body = JSON.stringify(body.json);
  } else if (body !== undefined) {
    // The server sniffs the bytes; a type it does not take (AVIF, HEIC, SVG) then gets its clear message, not a 415.
    init.headers = headers({ "content-type": "application/octet-stream" });
    init.body = body.bytes;
  }
  const response = await fetch(path, init);
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

export const api = {
  access: () => call<AccessInfo>("GET", `${API}/access`),
  session: () => call<SessionInfo>("GET", `${API}/session`),
  account: () => call<AccountInfo>("GET", `${API}/account`),
  upload: (image: Blob) => call<PageFile>("POST", `${API}/inputs`, { bytes: image }),
  runs: (options: { before?: string | null; query?: string; limit?: number }) => {
    const params = new URLSearchParams();
    if (options.before) params.set("before", options.before);
    if (options.query) params.set("q", options.query);
    if (options.limit !== undefined) params.set("limit", String(options.limit));
    return call<RunPage>("GET", `${API}/runs?${params}`);
  },
  run: (id: string) => call<PageRun>("GET", `${API}/runs/${encodeURIComponent(id)}`),
  deleteRun: (id: string) => call<{ deleted: string }>("DELETE", `${API}/runs/${encodeURIComponent(id)}`),
  addComposite: (run: string, of: number, png: Blob) => call<PageImage>("POST", `${API}/runs/${encodeURIComponent(run)}/composites?of=${of}`, { bytes: png }),
  saveThumb: (image: string, thumb: Blob) => call<{ thumb_url: string }>("PUT", `${API}/thumbs?image=${encodeURIComponent(image)}`, { bytes: thumb }),

  /** Starts a run; its events arrive as they happen. Aborting `signal` (Stop) closes the request, which stops the upstream requests. */
  async *startRun(request: RunRequest, signal: AbortSignal): AsyncGenerator<RunEvent> {
    const response = await fetch(`${API}/runs`, { method: "POST", headers: headers({ "content-type": "application/json" }), body: JSON.stringify(request), signal });
    if (!response.ok || response.body === null) throw await failure(response);
    for await (const message of readSse(response.body)) yield JSON.parse(message.data) as RunEvent;
  },

  /** A library file's bytes (what a key-protected server's images need: an <img> cannot send the key). */
  async file(url: string): Promise<Blob> {
    const response = await fetch(url, { headers: headers() });
    if (!response.ok) throw await failure(response);
    return response.blob();
  },
};
