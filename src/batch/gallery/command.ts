/** `codex-imagen gallery DIR`: rebuilds a batch's index.html from its manifest.jsonl. */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { manifestPath, readManifest } from "../manifest.js";
import { parseConfigFor } from "../../flags/table.js";
import { parseFlags } from "../../flags/parse.js";
import { writeStdout } from "../../stdout.js";
import { UsageError } from "../../errors.js";
import { VERSION } from "../../version.js";
import { writeGallery } from "./write.js";

const parseConfig = parseConfigFor([{ name: "help", short: "h", group: "General", help: "Show this help." }], false);

export function galleryHelpText(version: string): string {
  return [
    `codex-imagen ${version} gallery — rebuild a batch's index.html from its manifest.jsonl`,
    "",
    "Usage: codex-imagen gallery DIR",
    "",
    "DIR is a batch output directory. The page shows every job's latest record: thumbnails linking to the",
    "full images, prompt, size, quality, model, time and request id, and the error of failed jobs.",
    "Prints the page's path. `codex-imagen batch` keeps it current by itself; this is for a page that was",
    "deleted or edited, or a folder that was moved.",
    "",
  ].join("\n");
}

export async function runGalleryCommand(argv: string[], context: { cwd: string }): Promise<number> {
  const parsed = parseFlags(parseConfig, argv);
  if (parsed.values.help) {
    await writeStdout(galleryHelpText(VERSION));
    return 0;
  }
  const [dir, ...extra] = parsed.positionals;
  if (dir === undefined || extra.length > 0) throw new UsageError("codex-imagen gallery takes one batch output directory: codex-imagen gallery DIR.");
  const absolute = resolve(context.cwd, dir);
  if (!(await stat(manifestPath(absolute)).catch(() => undefined))?.isFile()) {
    throw new UsageError(`${dir} has no manifest.jsonl; give the output directory of a codex-imagen batch run.`);
  }
  const { records } = await readManifest(absolute);
  await writeStdout(`${await writeGallery(absolute, records.values())}\n`);
  return 0;
}
