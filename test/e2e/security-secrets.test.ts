/**
 * Secrets: known token strings never reach stdout, stderr, JSON or `--debug` output, even when the backend
 * echoes them back; auth files keep their mode. `setupCli().run` fails a test on any token it finds in the output.
 */
import assert from "node:assert/strict";
import { chmodSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { describe, test } from "node:test";
import { setupCli, type CliFixture } from "../support/cli-fixture.js";
import type { Scenario } from "../support/fake-backend.js";

const TALKATIVE = ["--json", "--debug"];

/** Backend answers that quote the bearer token they were sent. */
const echoes: Array<[string, (f: CliFixture) => Scenario, RegExp]> = [
  [
    "a 400 whose message quotes the Authorization header",
    (f) => ({ kind: "http-error", status: 400, body: { error: { message: `Invalid header: Authorization: Bearer ${f.access}` } } }),
    /Invalid header/,
  ],
  [
    "a 500 whose plain-text body is the token",
    (f) => ({ kind: "http-error", status: 500, body: `upstream rejected ${f.access}` }),
    /upstream rejected/,
  ],
  [
    "a streamed failure event quoting the token",
    (f) => ({ kind: "event-error", type: "response.failed", code: "invalid_request", message: `token ${f.access} is not allowed here` }),
    /is not allowed here/,
  ],
  [
    "a 401 quoting the token",
    (f) => ({ kind: "http-error", status: 401, body: { error: { code: "token_expired", message: `Token ${f.access} expired` } } }),
    /expired/,
  ],
];

describe("security: tokens never reach the output", { concurrency: 8 }, () => {
  for (const [name, scenario, shown] of echoes) {
    test(`${name}: the message is shown with the token redacted (--json --debug)`, async (t) => {
      const f = await setupCli(t);
      f.backend.enqueue(scenario(f), scenario(f), scenario(f));
      const run = await f.run([...TALKATIVE, "--no-retry", "--out-dir", f.outDir, "x"]);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, shown, "the backend's words are still shown");
      assert.ok(run.stderr.includes("[redacted]"), run.stderr);
    });
  }

  test("--smoke --json, --refresh-only --json and a refreshed generation with --debug print no token", async (t) => {
    const f = await setupCli(t, { expiresIn: -60 });
    for (const args of [["--smoke", "--json", "--debug"], ["--refresh-only", "--json", "--debug"], [...TALKATIVE, "--force-refresh", "--out-dir", f.outDir, "x"]]) {
      const run = await f.run(args);
      assert.equal(run.code, 0, `${args.join(" ")}: ${run.stderr}`);
    }
    assert.equal(f.backend.oauth.calls.length, 2, "--refresh-only and --force-refresh each refreshed");
  });

  test("auth files keep their mode after a refresh (0600 stays 0600, 0640 stays 0640) and no temp or lock file is left", async (t) => {
    for (const mode of [0o600, 0o640]) {
      const f = await setupCli(t, { expiresIn: -60 });
      chmodSync(f.authFile, mode);
      const before = readdirSync(dirname(f.authFile)).sort();
      const run = await f.run([...TALKATIVE, "--out-dir", f.outDir, "x"]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.json().auth_refresh?.refreshed, true);
      assert.equal(statSync(f.authFile).mode & 0o777, mode);
      assert.notEqual(JSON.parse(readFileSync(f.authFile, "utf8")).tokens.access_token, f.access, "the new tokens were written");
      assert.deepEqual(readdirSync(dirname(f.authFile)).sort(), before, "nothing left beside auth.json");
    }
  });

  test("a crash-style failure under --debug prints a stack trace without any token", async (t) => {
    const f = await setupCli(t);
    // A JSON answer that is not JSON makes the backend path throw deep inside; --debug adds the stack.
    f.backend.enqueue({ kind: "http-error", status: 200, body: `not json ${f.access}` });
    const run = await f.run([...TALKATIVE, "--no-stream", "--no-retry", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^\s+at /m, "--debug shows where it failed");
  });
});
