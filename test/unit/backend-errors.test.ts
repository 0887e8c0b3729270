import assert from "node:assert/strict";
import test from "node:test";
import { classifyFailureEvent, classifyHttpError, classifyTransportError, retryAfterSeconds } from "../../src/backend/errors.js";
import { retryDelayMs, shouldRetry } from "../../src/backend/retry.js";
import { RateLimitError } from "../../src/errors.js";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const body = (error: Record<string, unknown>) => JSON.stringify({ error });

const httpCases: Array<{ name: string; status: number; text: string; headers?: Record<string, string>; code: string; retryable: boolean; says?: RegExp }> = [
  { name: "5xx is a retryable backend error", status: 503, text: "upstream down", code: "backend", retryable: true },
  { name: "401 is an auth error", status: 401, text: body({ code: "token_expired", message: "expired" }), code: "auth_expired", retryable: false },
  { name: "429 is rate limited and says when it resets", status: 429, text: body({ type: "usage_limit_reached", message: "limit", resets_in_seconds: 90 }), code: "rate_limited", retryable: false, says: /in 90 s/ },
  { name: "usage_limit_reached under another status is rate limited", status: 400, text: body({ code: "usage_limit_reached", resets_at: NOW / 1000 + 60 }), code: "rate_limited", retryable: false, says: /in 60 s/ },
  { name: "a 400 naming tool_choice is tool_unsupported", status: 400, text: body({ message: "Tool choice 'image_generation' not found in 'tools' parameter", param: "tool_choice" }), code: "tool_unsupported", retryable: false },
  { name: "a message naming the model is model_unsupported", status: 500, text: body({ message: "The 'gpt-5.4' model is not supported when using Codex with a ChatGPT account." }), code: "model_unsupported", retryable: false, says: /--model/ },
  { name: "a 500 naming a retired model is model_unsupported, not retried", status: 500, text: body({ code: "server_error", message: "The model gpt-5.4 has been retired." }), code: "model_unsupported", retryable: false, says: /retired\. Choose another responses model with --model/ },
  { name: "an overloaded model is a passing 5xx: retried", status: 503, text: body({ code: "server_error", message: "The model is currently overloaded or unavailable. Please try again." }), code: "backend", retryable: true },
  { name: "a 500 saying the model produced invalid content is retried", status: 500, text: body({ message: "The model produced invalid content." }), code: "backend", retryable: true },
  { name: "a content policy 400 is policy", status: 400, text: body({ message: "Your request was rejected by the safety system." }), code: "policy", retryable: false, says: /safety system\. Change the prompt/ },
  { name: "a 403 HTML page names --base-url", status: 403, text: "<html>forbidden</html>", code: "backend", retryable: false, says: /--base-url/ },
  { name: "another 4xx is not retried and shows the message", status: 422, text: body({ message: "bad field" }), code: "backend", retryable: false, says: /bad field/ },
];

for (const entry of httpCases) {
  test(`HTTP: ${entry.name}`, () => {
    const error = classifyHttpError(entry.status, entry.text, entry.headers ?? {}, { name: "gpt-5.4", flag: "--model" }, NOW);
    assert.equal(error.code, entry.code);
    assert.equal(error.retryable, entry.retryable);
    if (entry.says) assert.match(error.message, entry.says);
  });
}

test("429 without a reset in the body uses the x-codex reset headers", () => {
  const error = classifyHttpError(429, "", { "x-codex-primary-reset-after-seconds": "120" }, { name: "gpt-5.5", flag: "--model" }, NOW);
  assert.ok(error instanceof RateLimitError);
  assert.equal(error.resetsAt?.getTime(), NOW + 120_000);
});

test("retry-after is read as seconds or as a date, and capped by the delay policy", () => {
  assert.equal(retryAfterSeconds({ "retry-after": "3" }, NOW), 3);
  assert.equal(retryAfterSeconds({ "retry-after": new Date(NOW + 5000).toUTCString() }, NOW), 5);
  const error = classifyHttpError(503, "", { "retry-after": "600" }, { name: "gpt-5.5", flag: "--model" }, NOW);
  assert.equal(retryDelayMs(1, error), 60_000);
});

test("stream failure events: overloaded retries, policy and rate limits do not", () => {
  assert.equal(classifyFailureEvent({ code: "server_error", message: "oops" }, { name: "gpt-5.5", flag: "--model" }).retryable, true);
  assert.equal(classifyFailureEvent({ message: "The server is overloaded" }, { name: "gpt-5.5", flag: "--model" }).retryable, true);
  assert.equal(classifyFailureEvent({ code: "content_policy_violation", message: "no" }, { name: "gpt-5.5", flag: "--model" }).code, "policy");
  assert.match(classifyFailureEvent({ code: "moderation_blocked", message: "Blocked by the safety system." }, { name: "gpt-5.5", flag: "--model" }).message, /safety system\. Change the prompt/);
  assert.equal(classifyFailureEvent({ code: "rate_limit_exceeded" }, { name: "gpt-5.5", flag: "--model" }).code, "rate_limited");
  assert.equal(classifyFailureEvent({ code: "invalid_request_error", message: "bad" }, { name: "gpt-5.5", flag: "--model" }).retryable, false);
});

test("transport errors are retryable network errors that name the host", () => {
  const error = classifyTransportError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }), "http://127.0.0.1:9/x");
  assert.equal(error.code, "network");
  assert.equal(error.retryable, true);
  assert.match(error.message, /127\.0\.0\.1:9.*ECONNRESET/);
});

test("backoff grows 1, 2, 4, 8 s with under a second of jitter; nothing is retried after an image", () => {
  const error = classifyHttpError(500, "", {}, { name: "gpt-5.5", flag: "--model" }, NOW);
  assert.deepEqual([1, 2, 3, 4, 5].map((retry) => retryDelayMs(retry, error, () => 0)), [1000, 2000, 4000, 8000, 8000]);
  assert.equal(retryDelayMs(1, error, () => 0.999), 1999);
  assert.equal(shouldRetry(error, 0, 1), true);
  assert.equal(shouldRetry(error, 1, 1), false);
  assert.equal(shouldRetry(error, 0, 0), false);
});

test("a rejected image model names --image-model, and no sentence ends in two periods", () => {
  const error = classifyHttpError(400, body({ message: "The model 'gpt-image-9' does not exist." }), {}, { name: "gpt-image-9", flag: "--image-model" }, NOW);
  assert.equal(error.code, "model_unsupported");
  assert.match(error.message, /does not exist\. Choose another image model with --image-model/);
  assert.doesNotMatch(error.message, /\.\./);
});

test("a stream event naming an overloaded model is retried", () => {
  const error = classifyFailureEvent({ code: "server_error", message: "The model is overloaded, try again." }, { name: "gpt-5.5", flag: "--model" });
  assert.equal(error.retryable, true);
});
