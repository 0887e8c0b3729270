/** What each request carries through the Hono app: node's request and response, and what the log line reports. */
import type { HttpBindings } from "@hono/node-server";
import type { ParamOf } from "./openai-errors.js";

export interface ServeEnv {
  Bindings: HttpBindings;
  Variables: {
    requestId: string;
    /** Final images answered. */
    images: number;
    /** How this request names the field a usage error is about. */
    paramOf: ParamOf;
    /** The answer's error code, for the log. */
    error: string;
    /** Logged only with --verbose. */
    prompt: string;
  };
}
