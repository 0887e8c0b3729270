import assert from "node:assert/strict";
import test from "node:test";
import { readRateLimits } from "../../src/backend/rate-limits.js";

const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);

test("the x-codex-* headers become windows with ISO reset times", () => {
  const limits = readRateLimits({ "x-codex-primary-used-percent": "42", "x-codex-primary-window-minutes": "300", "x-codex-primary-reset-after-seconds": "600" }, NOW);
  assert.deepEqual(limits, { primary: { used_percent: 42, window_minutes: 300, resets_at: new Date(NOW + 600_000).toISOString(), resets_in_seconds: 600 } });
});

test("a reset time no date can hold is left out instead of failing the run", () => {
  const limits = readRateLimits({ "x-codex-primary-used-percent": "5", "x-codex-primary-reset-at": "1e300" }, NOW);
  assert.deepEqual(limits, { primary: { used_percent: 5 } });
});
