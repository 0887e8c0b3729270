/** The page's state, in one place: the form, the references and mask, the run on screen, the thread, the history, the account. */
import { signal } from "@preact/signals";
import type { AccountInfo, PageError, PageFile, PageImage, PageRun, SessionInfo } from "../protocol.js";
import type { MaskModel } from "./canvas/mask.js";

/** The form's fields as typed; "" means "not chosen" (the backend's default, nothing sent). */
export interface FormFields {
  /** "" (auto), a preset `WxH`, "custom" or "ratio". */
  sizeChoice: string;
  customSize: string;
  aspectRatio: string;
  quality: string;
  background: string;
  format: string;
  compression: string;
  moderation: string;
  count: string;
  imageModel: string;
  inputFidelity: string;
  previews: string;
}

export const DEFAULT_FIELDS: FormFields = {
  sizeChoice: "",
  customSize: "",
  aspectRatio: "",
  quality: "",
  background: "",
  format: "",
  compression: "",
  moderation: "",
  count: "1",
  imageModel: "",
  inputFidelity: "",
  previews: "2",
};

/** A reference image: uploading, or stored in the library (`file`). */
export interface Reference {
  key: string;
  name: string;
  file: PageFile | null;
  error: string | null;
}

/** One requested image on screen: its latest preview, then its final image(s). */
export interface Tile {
  /** The latest streamed preview, as a data: URL. */
  preview: string | null;
  previews: number;
  /** When the server got that preview from the backend (ms since the epoch). */
  previewReceivedAt: number | null;
  images: PageImage[];
}

export interface ShownRun {
  /** The library's run, once the server has recorded it (at once for a run opened from the history). */
  run: PageRun | null;
  prompt: string;
  count: number;
  status: "running" | "finished" | "failed" | "stopped";
  startedAt: number;
  tiles: Tile[];
  error: PageError | null;
  /** Why "Keep unmasked pixels" was not applied to image i, when it was not. */
  compositeNotes: Record<number, string>;
}

export interface ThreadTurn {
  run: PageRun;
  image: number;
}

export interface HistoryState {
  runs: PageRun[];
  next: string | null;
  total: number;
  query: string;
  loading: boolean;
  error: string | null;
}

export const prompt = signal("");
export const fields = signal<FormFields>(DEFAULT_FIELDS);
/** The field (studio option name, or "prompt") the current error is about, with the message. */
export const formError = signal<{ message: string; param: string | null } | null>(null);
export const references = signal<Reference[]>([]);
export const keepUnmasked = signal(true);
export const maskOpen = signal(false);
/** The mask over the first reference, and which reference it belongs to. */
export const mask = signal<{ referenceKey: string; model: MaskModel } | null>(null);
/** What the page shows of the (mutable) mask model, renewed on every change of its pixels. */
export const maskState = signal({ version: 0, canUndo: false, canRedo: false });

/** The run started from this page (going, or the last one); events of the run go here only. */
export const live = signal<ShownRun | null>(null);
/** A run opened from the history, shown instead of `live` until another run starts or the user goes back to it. */
export const viewed = signal<ShownRun | null>(null);
export const thread = signal<ThreadTurn[]>([]);
export const history = signal<HistoryState>({ runs: [], next: null, total: 0, query: "", loading: false, error: null });
export const account = signal<AccountInfo | null>(null);
export const session = signal<SessionInfo | null>(null);
export const needsKey = signal(false);
/** Why the key prompt is shown again: the key given was refused. */
export const keyProblem = signal<string | null>(null);
export const fullView = signal<{ image: PageImage; label: string } | null>(null);
/** A short sentence for screen readers about what just happened. */
export const announcement = signal("");
/** Ticks while a run is going, for the elapsed time. */
export const now = signal(Date.now());
