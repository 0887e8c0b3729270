/** The MCP tools' argument schemas (snake_case, spec §0) and their translation into library options. */
import { z } from "zod";
import type { GenerateImagesOptions } from "../library/options.js";
import { unknownNameMessage } from "../validate/closest-name.js";
import { homePath, type McpConfig } from "./args.js";
import { assertUnderRoots } from "./roots.js";

export interface ToolArgs {
  prompt: string;
  size?: string;
  quality?: "low" | "medium" | "high" | "auto";
  background?: "transparent" | "opaque" | "auto";
  format?: "png" | "jpeg" | "webp";
  count?: number;
  output_dir?: string;
  references?: string[];
  mask?: string;
}

function commonShape(config: McpConfig) {
  return {
    size: z
      .string()
      .optional()
      .describe(
        "Image size in pixels as WIDTHxHEIGHT, e.g. 1024x1024 (square), 1536x1024 (landscape), 1024x1536 (portrait), 3840x2160 (4K). Both sides multiples of 16, longest side at most 3840, long side at most 3 times the short side. Omit (or auto) to let the backend choose.",
      ),
    quality: z.enum(["low", "medium", "high", "auto"]).optional().describe("Rendering quality; higher takes longer. Omit for the backend's default."),
    background: z.enum(["transparent", "opaque", "auto"]).optional().describe("transparent needs format png or webp."),
    format: z.enum(["png", "jpeg", "webp"]).optional().describe("File format to ask for (default png)."),
    count: z.int().min(1).max(10).optional().describe("How many independent images to generate in parallel, 1-10 (default 1)."),
    output_dir: z
      .string()
      .min(1)
      .optional()
      .describe(
        `Directory to save into (created if missing): absolute, ~/..., or relative to the default ${config.outputDir}. Must lie under ${config.roots.join(" or ")}. Omit to use the default.`,
      ),
  };
}

export function generateImageShape(config: McpConfig) {
  return {
    prompt: z
      .string()
      .min(1)
      .describe("What the image should show: subject, setting, style, composition, lighting, and any text to render (quoted exactly)."),
    ...commonShape(config),
  };
}

export function editImageShape(config: McpConfig) {
  return {
    prompt: z
      .string()
      .min(1)
      .describe('What to change or create from the reference images; refer to them as "Image 1", "Image 2", ... in the order given.'),
    references: z
      .array(z.string().min(1))
      .min(1)
      .max(16)
      .describe(
        `Reference images, in order: local files (PNG, JPEG, GIF or WebP; absolute, ~/..., or relative to ${config.outputDir}; under ${config.roots.join(" or ")}), http(s) URLs or data:image/... URLs. Paths returned by generate_image work as they are.`,
      ),
    mask: z
      .string()
      .min(1)
      .optional()
      .describe("Optional local PNG with an alpha channel, the size of Image 1: its transparent pixels mark the area to change; the rest stays."),
    ...commonShape(config),
  };
}

/** A tool's arguments: unknown ones are refused with the name the caller most likely meant (`outDir` → output_dir). */
export function strictArguments<T extends z.ZodRawShape>(shape: T) {
  const names = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? issue.keys.map((key) => unknownNameMessage("argument", key, names)).join("; ") : undefined),
  });
}

const isUrl = (value: string): boolean => /^(https?:|data:)/i.test(value);

/** A tool-call path: `~/` is the home directory, a relative path is relative to the default output dir (never the server's cwd). */
async function toolPath(label: string, value: string, config: McpConfig): Promise<string> {
  const path = /^~([\\/]|$)/.test(value) ? homePath(value, config.homeDir) : homePath(value, config.outputDir);
  await assertUnderRoots(label, path, config.roots);
  return path;
}

export async function callOptions(args: ToolArgs, config: McpConfig): Promise<GenerateImagesOptions> {
  const references: string[] = [];
  for (const reference of args.references ?? []) references.push(isUrl(reference) ? reference : await toolPath("Reference", reference, config));
  return {
    ...config.base,
    prompt: args.prompt,
    size: args.size,
    quality: args.quality,
    background: args.background,
    format: args.format,
    count: args.count,
    outputDir: args.output_dir === undefined ? config.outputDir : await toolPath("output_dir", args.output_dir, config),
    references,
    mask: args.mask === undefined ? undefined : await toolPath("mask", args.mask, config),
  };
}
