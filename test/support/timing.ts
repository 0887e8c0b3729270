/** Time bounds for tests on a machine that may be starved of CPU: from configured timeouts, measured from the backend's side. */
import assert from "node:assert/strict";
import type { CliFixture } from "./cli-fixture.js";

/**
 * Added to a configured timeout for "ended in time" bounds (spec §0: generous bounds). A starved machine
 * needs seconds to wind a process down; the failures these bounds catch (a retry, a library's own
 * 30 s or 300 s limit, a hang) take far longer.
 */
export const SLACK_MS = 10_000;

/**
 * The --timeout or --deadline of tests whose backend stalls: long enough that on a starved machine the request,
 * and any image streamed before the stall, gets through before it fires.
 */
export const STALL_TIMEOUT_MS = 5_000;
/** The same in seconds, for `--timeout`, `--timeout-seconds` and `--deadline`. */
export const STALL_TIMEOUT_SECONDS = String(STALL_TIMEOUT_MS / 1000);

/** Call right after the run resolved: it ended within `ms` of its first generation request reaching the backend. */
export function assertEndedWithin(f: CliFixture, ms: number): void {
  const first = f.backend.generations[0];
  assert.ok(first !== undefined, "no generation request reached the backend");
  const took = Date.now() - first.at;
  assert.ok(took < ms, `ended ${took} ms after the request arrived (bound ${ms} ms)`);
}
