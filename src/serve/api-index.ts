/** `GET /` and `GET /v1`: what this server is and where to go next, instead of a bare 404. */
import { VERSION } from "../version.js";

const DOCS = "https://www.npmjs.com/package/codex-imagen#use-it-from-any-openai-sdk-codex-imagen-serve";

export function apiIndex(origin: string): Record<string, unknown> {
  return {
    name: "codex-imagen serve",
    version: VERSION,
    description: "The OpenAI Images API on your ChatGPT/Codex login: point an OpenAI SDK at base_url.",
    base_url: `${origin}/v1`,
    routes: {
      "POST /v1/images/generations": "generate images (JSON body)",
      "POST /v1/images/edits": "edit images (multipart/form-data upload, or JSON with images: [{image_url}])",
      "GET /v1/models": "the image models",
      "GET /health": "is the server up",
    },
    docs: `${DOCS} (or: codex-imagen serve --help)`,
  };
}
