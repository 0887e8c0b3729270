/** Time bounds measured from the backend's side, so a slow process start on a busy machine does not count. */
import assert from "node:assert/strict";
import type { CliFixture } from "./cli-fixture.js";

/** Call right after the run resolved: it ended within `ms` of its first generation request reaching the backend. */
export function assertEndedWithin(f: CliFixture, ms: number): void {
  const first = f.backend.generations[0];
  assert.ok(first !== undefined, "no generation request reached the backend");
  const took = Date.now() - first.at;
  assert.ok(took < ms, `ended ${took} ms after the request arrived (bound ${ms} ms)`);
}
