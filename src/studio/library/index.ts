/** The studio's on-disk library: what the studio's routes use. */
export { StudioLibrary, DEFAULT_PAGE, MAX_PAGE, type ListOptions, type ListPage, type StudioLibraryOptions } from "./studio-library.js";
export { LibraryNotFoundError } from "./not-found.js";
export type { LibraryComposite } from "./run-index.js";
export type { LibraryRun } from "./run-lines.js";
export type { LibraryFile, LibraryImage, RunOptions, RunRecord, RunWarning } from "./records.js";
