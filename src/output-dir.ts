/** The default output directory order (spec §2), shared by the CLI and the MCP server. */
import { join, resolve } from "node:path";
import { type Env, envValue } from "./unset.js";

/** First that is set: CODEX_IMAGEN_OUT_DIR, OPENCLAW_OUTPUT_DIR, the OpenClaw agent/state artifacts dir, ./codex-imagen-output. */
export function defaultOutputDir(env: Env, cwd: string): string {
  const explicit = envValue(env, "CODEX_IMAGEN_OUT_DIR") ?? envValue(env, "OPENCLAW_OUTPUT_DIR");
  if (explicit) return resolve(cwd, explicit);
  const openclawDir = envValue(env, "OPENCLAW_AGENT_DIR") ?? envValue(env, "OPENCLAW_STATE_DIR");
  if (openclawDir) return resolve(cwd, join(openclawDir, "artifacts", "codex-imagen"));
  return resolve(cwd, "codex-imagen-output");
}
