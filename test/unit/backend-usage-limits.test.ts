import assert from "node:assert/strict";
import test from "node:test";
import { formatUsageLimits, parseUsageLimits, usageUrl } from "../../src/backend/usage-limits.js";
import { CodexImagenError } from "../../src/errors.js";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const NOW_S = NOW / 1000;

test("the usage URL replaces a trailing /codex of the base URL with /wham/usage", () => {
  assert.equal(usageUrl("https://chatgpt.com/backend-api/codex"), "https://chatgpt.com/backend-api/wham/usage");
  assert.equal(usageUrl("https://chatgpt.com/backend-api/codex/"), "https://chatgpt.com/backend-api/wham/usage");
  assert.equal(usageUrl("http://127.0.0.1:8080/backend-api/codex?x=1"), "http://127.0.0.1:8080/backend-api/wham/usage");
  assert.equal(usageUrl("https://gateway.example/chatgpt/codex"), "https://gateway.example/chatgpt/wham/usage");
});

test("a base URL without /codex has no known usage endpoint: an error that names the expected shape", () => {
  for (const base of ["https://api.example/v1", "https://chatgpt.com/backend-api", "https://example.com/codexx"]) {
    assert.throws(
      () => usageUrl(base),
      (error: unknown) => error instanceof CodexImagenError && error.message.includes(base) && /does not end in \/codex/.test(error.message),
    );
  }
});

test("a full answer: plan, each window (reset_at wins for the reset time), credits verbatim, unknown fields ignored", () => {
  const limits = parseUsageLimits(
    {
      plan_type: "plus",
      user_id: "ignored",
      rate_limit: {
        allowed: true,
        primary_window: { used_percent: 42, limit_window_seconds: 18_000, reset_after_seconds: 3000, reset_at: NOW_S + 3600, extra: 1 },
        secondary_window: { used_percent: 7.5, limit_window_seconds: 604_800, reset_after_seconds: 86_400 },
      },
      credits: { has_credits: true, balance: "12.50" },
    },
    NOW,
  );
  assert.deepEqual(limits, {
    plan_type: "plus",
    windows: [
      { name: "primary", used_percent: 42, window_seconds: 18_000, resets_at: "2026-11-25T13:00:00.000Z", resets_in_seconds: 3600 },
      { name: "secondary", used_percent: 7.5, window_seconds: 604_800, resets_at: "2026-11-26T12:00:00.000Z", resets_in_seconds: 86_400 },
    ],
    credits: { has_credits: true, balance: "12.50" },
    fetched_at: "2026-11-25T12:00:00.000Z",
  });
});

test("missing and malformed fields are null, never guessed; a null window is no window; no credits, no key", () => {
  const limits = parseUsageLimits(
    {
      plan_type: 7,
      rate_limit: {
        primary_window: { used_percent: "42", limit_window_seconds: null },
        secondary_window: null,
        code_review_window: { used_percent: 3 },
        weird_window: "not an object",
      },
      credits: "lots",
    },
    NOW,
  );
  assert.deepEqual(limits, {
    plan_type: null,
    windows: [
      { name: "primary", used_percent: null, window_seconds: null, resets_at: null, resets_in_seconds: null },
      { name: "code_review", used_percent: 3, window_seconds: null, resets_at: null, resets_in_seconds: null },
    ],
    fetched_at: "2026-11-25T12:00:00.000Z",
  });
  assert.deepEqual(parseUsageLimits({}, NOW), { plan_type: null, windows: [], fetched_at: "2026-11-25T12:00:00.000Z" });
});

test("numbers that are not finite, and resets that are no date, become null; a past reset is in 0 s", () => {
  const json: unknown = JSON.parse(
    '{"rate_limit": {"primary_window": {"used_percent": 1e400, "limit_window_seconds": -1e999, "reset_at": 1e300}, "secondary_window": {"reset_at": 1700000000}}}',
  );
  const [primary, secondary] = parseUsageLimits(json, NOW).windows;
  assert.deepEqual(primary, { name: "primary", used_percent: null, window_seconds: null, resets_at: null, resets_in_seconds: null });
  assert.equal(secondary?.resets_at, "2023-11-14T22:13:20.000Z");
  assert.equal(secondary?.resets_in_seconds, 0);
});

test("an answer that is not a JSON object is an error that says the limits are unknown", () => {
  for (const garbage of [undefined, null, "<html>", [1, 2], 42]) {
    assert.throws(() => parseUsageLimits(garbage, NOW), (error: unknown) => error instanceof CodexImagenError && /limits are unknown/.test(error.message));
  }
});

test("human lines: plan, each window with its length and reset, credits; what is unknown says so", () => {
  const full = formatUsageLimits(
    parseUsageLimits(
      {
        plan_type: "pro",
        rate_limit: { primary_window: { used_percent: 42, limit_window_seconds: 18_000, reset_after_seconds: 3600 }, secondary_window: { used_percent: 7, limit_window_seconds: 604_800 } },
        credits: { has_credits: false, balance: "0" },
      },
      NOW,
    ),
  );
  assert.equal(full.length, 4);
  assert.equal(full[0], "plan: pro");
  assert.match(full[1] ?? "", /^primary: 42% used of a 5-hour window, resets at .+ local time \(in 3600 s\)$/);
  assert.equal(full[2], "secondary: 7% used of a 7-day window, reset time unknown");
  assert.equal(full[3], "credits: has_credits false, balance 0");

  const sparse = formatUsageLimits(parseUsageLimits({ rate_limit: { primary_window: {}, secondary_window: { limit_window_seconds: 5400 } } }, NOW));
  assert.deepEqual(sparse, [
    "plan: unknown",
    "primary: used percent unknown, window length unknown, reset time unknown",
    "secondary: used percent unknown, 90-minute window, reset time unknown",
  ]);
  assert.deepEqual(formatUsageLimits(parseUsageLimits({}, NOW)), ["plan: unknown", "windows: unknown (the usage endpoint reported none)"]);
});
