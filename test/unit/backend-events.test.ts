import assert from "node:assert/strict";
import test from "node:test";
import { parseResponse, parseSseData } from "../../src/backend/events.js";

function event(value: Record<string, unknown>) {
  const parsed = parseSseData(JSON.stringify(value), undefined);
  assert.ok(parsed, "expected an event");
  return parsed;
}

test("an image item becomes an image with its metadata, whatever its status says once it has a result", () => {
  for (const status of ["completed", "generating", "in_progress"]) {
    const parsed = event({
      type: "response.output_item.done",
      item: { type: "image_generation_call", id: "ig_1", status, result: "AAAA", revised_prompt: "a fox", output_format: "png", size: "1024x1024", extra: 1 },
    });
    assert.equal(parsed.type, "response.output_item.done");
    assert.deepEqual(parsed.event, {
      kind: "image",
      image: { callId: "ig_1", b64: "AAAA", revisedPrompt: "a fox", outputFormat: "png", size: "1024x1024", quality: undefined, background: undefined },
    });
  }
  const unfinished = event({ type: "response.output_item.done", item: { type: "image_generation_call", id: "ig_2", status: "generating", result: "" } });
  assert.deepEqual(unfinished.event, { kind: "other" }, "no result, no image");
});

test("unknown events, [DONE] and non-JSON data are tolerated", () => {
  assert.deepEqual(event({ type: "response.something_new", x: 1 }).event, { kind: "other" });
  assert.equal(parseSseData("[DONE]", undefined), undefined);
  assert.equal(parseSseData("not json", undefined), undefined);
});

test("the event name from an `event:` line is used when data has no type", () => {
  const parsed = parseSseData(JSON.stringify({ response: { id: "resp_1" } }), "response.created");
  assert.deepEqual(parsed, { type: "response.created", event: { kind: "started", requestId: "resp_1", imageModel: undefined } });
});

test("the image model the hosted tool runs is read from the echoed tool config", () => {
  const parsed = event({ type: "response.created", response: { id: "resp_1", tools: [{ type: "function" }, { type: "image_generation", model: "gpt-image-2-codex" }] } });
  assert.deepEqual(parsed.event, { kind: "started", requestId: "resp_1", imageModel: "gpt-image-2-codex" });
});

test("response.completed without a response object is still a completion", () => {
  assert.deepEqual(event({ type: "response.completed" }).event, { kind: "completed", response: { images: [], texts: [] } });
});

test("completed output repeats images and carries usage and refusals", () => {
  const response = parseResponse({
    id: "resp_2",
    usage: { total_tokens: 5 },
    output: [
      { type: "image_generation_call", id: "ig_1", result: "QUJD" },
      { type: "image_generation_call", id: "ig_2", result: null },
      { type: "message", content: [{ type: "refusal", refusal: "I can't make that." }] },
      { type: "reasoning" },
    ],
  });
  assert.equal(response.requestId, "resp_2");
  assert.deepEqual(response.images.map((image) => image.callId), ["ig_1"]);
  assert.deepEqual(response.texts, [{ text: "I can't make that.", refusal: true }]);
  assert.deepEqual(response.usage, { total_tokens: 5 });
});

test("tool_usage beside usage passes through under usage.tool_usage: numeric leaves only", () => {
  const response = parseResponse({
    usage: { total_tokens: 5, output_tokens_details: { note: "kept as sent" } },
    tool_usage: { image_gen: { images: 1, input_tokens: 7, model: "gpt-image-2", size: { w: 1024, label: "x" } }, web_search: { name: "none" }, count: 2, list: [1, 2] },
  });
  assert.deepEqual(response.usage, {
    total_tokens: 5,
    output_tokens_details: { note: "kept as sent" },
    tool_usage: { image_gen: { images: 1, input_tokens: 7, size: { w: 1024 } }, count: 2 },
  });
  assert.deepEqual(parseResponse({ tool_usage: { image_gen: { images: 1 } } }).usage, { tool_usage: { image_gen: { images: 1 } } }, "without usage");
  assert.deepEqual(parseResponse({ usage: { total_tokens: 1 }, tool_usage: { image_gen: { model: "x" } } }).usage, { total_tokens: 1 }, "nothing numeric: nothing added");
  assert.deepEqual(parseResponse({ usage: { total_tokens: 1 }, tool_usage: "bogus" }).usage, { total_tokens: 1 }, "a malformed tool_usage is ignored");
});

test("failure events keep the backend's code and message, nested or top-level", () => {
  assert.deepEqual(event({ type: "response.failed", response: { error: { code: "server_error", message: "boom" } } }).event, {
    kind: "failed",
    failure: { code: "server_error", message: "boom" },
  });
  assert.deepEqual(event({ type: "error", code: "rate_limit_exceeded", message: "slow down" }).event, {
    kind: "failed",
    failure: { type: "error", code: "rate_limit_exceeded", message: "slow down" },
  });
});

test("partial frames and text deltas are recognised", () => {
  assert.deepEqual(event({ type: "response.image_generation_call.partial_image", item_id: "ig_1", partial_image_index: 1, partial_image_b64: "AAAA" }).event, {
    kind: "partial",
    index: 1,
    image: { callId: "ig_1", b64: "AAAA", outputFormat: undefined, size: undefined, quality: undefined, background: undefined },
  });
  assert.deepEqual(event({ type: "response.output_text.delta", delta: "Hel" }).event, { kind: "text-delta", text: "Hel" });
});
