import assert from "node:assert/strict";
import { basename, join } from "node:path";
import { describe, test } from "node:test";
import { assertUsageError, listDir, setupCli } from "../support/cli-fixture.js";
import type { Scenario } from "../support/fake-backend.js";
import { assertEndedWithin, SLACK_MS, STALL_TIMEOUT_MS, STALL_TIMEOUT_SECONDS } from "../support/timing.js";

const serverError = (status: number): Scenario => ({
  kind: "http-error",
  status,
  body: { error: { code: "server_error", message: "The server had an error while processing your request." } },
});

const transient: Array<[string, Scenario]> = [
  ["HTTP 500", serverError(500)],
  ["HTTP 502", serverError(502)],
  ["HTTP 503", { kind: "http-error", status: 503, body: "upstream connect error" }],
  ["a streamed server_error (response.failed)", { kind: "event-error", type: "response.failed", code: "server_error", message: "An error occurred while processing your request." }],
  ["a streamed error event (overloaded)", { kind: "event-error", type: "error", code: "server_is_overloaded", message: "Our servers are currently overloaded." }],
  ["a stream dropped before any image", { kind: "drop", afterImages: 0 }],
  ["a stream cut inside the first event", { kind: "drop", afterBytes: 40 }],
];

/** name, scenario, what stderr says, the error code, and the backend text that should be quoted exactly once. */
const final: Array<[string, Scenario, RegExp, string, string?]> = [
  [
    "HTTP 429 usage_limit_reached",
    {
      kind: "http-error",
      status: 429,
      body: { error: { type: "usage_limit_reached", message: "The usage limit has been reached", plan_type: "plus", resets_in_seconds: 3600 } },
    },
    /reset/i,
    "rate_limited",
  ],
  [
    "HTTP 400 content policy",
    { kind: "http-error", status: 400, body: { error: { code: "content_policy_violation", message: "Your request was rejected by our safety system." } } },
    /safety system/i,
    "policy",
    "Your request was rejected by our safety system.",
  ],
  [
    "a streamed content policy failure",
    { kind: "event-error", type: "response.failed", code: "content_policy_violation", message: "This request violates our content policy." },
    /violates our content policy/i,
    "policy",
    "This request violates our content policy.",
  ],
  ["a text-only answer (refusal)", { kind: "text", text: "I can't help with that request." }, /can't help with that/, "policy", "I can't help with that request."],
];

// These tests mostly sleep through retry backoff, so they run side by side.
describe("retries", { concurrency: 16 }, () => {
  for (const [name, scenario] of transient) {
    test(`${name} is retried`, async (t) => {
      const f = await setupCli(t);
      f.backend.enqueue(scenario);
      const run = await f.run(["--json", "--out-dir", f.outDir, "x"]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(f.backend.generations.length, 2);
      assert.equal(run.json().retry_attempts, 1);
      assert.equal(listDir(f.outDir).length, 1);
      const [first, second] = f.backend.generations;
      assert.ok(first !== undefined && second !== undefined);
      assert.equal(second.headers["session_id"], first.headers["session_id"], "one session across retries");
      assert.equal(second.headers["session-id"], first.headers["session_id"]);
      assert.notEqual(second.headers["x-client-request-id"], first.headers["x-client-request-id"], "a new request id per attempt");
    });
  }

  for (const [name, scenario, message, code, quoted] of final) {
    test(`${name} is not retried`, async (t) => {
      const f = await setupCli(t);
      f.backend.enqueue(scenario, scenario);
      const run = await f.run(["--json", "--out-dir", f.outDir, "x"]);
      assert.equal(run.code, 1, run.stderr);
      assert.equal(f.backend.generations.length, 1);
      const result = run.json();
      assert.deepEqual(result.images, []);
      assert.equal(result.requests[0]?.status, "failed");
      assert.equal(result.requests[0]?.error?.code, code);
      assert.match(run.stderr, message);
      if (quoted !== undefined) assert.equal(run.stderr.split(quoted).length, 2, `the backend's text is quoted once:\n${run.stderr}`);
      assert.doesNotMatch(run.stderr, /^\s+at /m);
    });
  }

  test("a backend 401 gets one refresh and one retry, then stops", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "http-error", status: 401, body: { error: { code: "token_expired", message: "Provided authentication token is expired." } } });
    f.backend.enqueue({ kind: "http-error", status: 401, body: { error: { code: "token_expired", message: "Provided authentication token is expired." } } });
    const run = await f.run(["--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(f.backend.generations.length, 2);
    assert.equal(f.backend.oauth.calls.length, 1);
  });

  test("--retries N makes N+1 attempts at most; --no-retry and --retries 0 make one", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue(...Array.from({ length: 5 }, () => serverError(500)));
    const two = await f.run(["--retries", "2", "--out-dir", f.outDir, "x"]);
    assert.equal(two.code, 1, two.stderr);
    assert.equal(f.backend.generations.length, 3);

    f.backend.enqueue(...Array.from({ length: 5 }, () => serverError(500)));
    const none = await f.run(["--no-retry", "--out-dir", f.outDir, "x"]);
    assert.equal(none.code, 1);
    assert.equal(f.backend.generations.length, 4);

    const zero = await f.run(["--retries=0", "--out-dir", f.outDir, "x"]);
    assert.equal(zero.code, 1);
    assert.equal(f.backend.generations.length, 5);
    assert.deepEqual(listDir(f.outDir), []);
  });

  test("retry-after is honoured", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "http-error", status: 503, body: { error: { message: "busy" } }, headers: { "retry-after": "3" } });
    const run = await f.run(["--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    const [first, second] = f.backend.generations;
    assert.ok(first !== undefined && second !== undefined);
    // The backoff alone would wait at most 2 s; retry-after asks for 3.
    assert.ok(second.at - first.at >= 2900, `waited ${second.at - first.at} ms`);
  });

  test("a stream dropped after an image was saved keeps it, is not retried, and succeeds", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "drop", afterImages: 1 });
    const run = await f.run(["--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /dropped after 1 image/);
    assert.equal(f.backend.generations.length, 1);
    const files = listDir(f.outDir);
    assert.equal(files.length, 1, run.stderr);
    assert.deepEqual(run.lines().map((p) => basename(p)), files);
  });
});

describe("timeouts", { concurrency: 4 }, () => {
  test("--timeout-ms: a stalled stream exits 124 in time, nothing saved, not retried", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "stall" }, { kind: "stall" });
    const run = await f.run(["--timeout-ms", String(STALL_TIMEOUT_MS), "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 124, run.stderr);
    assertEndedWithin(f, STALL_TIMEOUT_MS + SLACK_MS);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /time/i);
    assert.equal(f.backend.generations.length, 1);
    assert.deepEqual(listDir(f.outDir), []);
  });

  test("--timeout (seconds) bounds a stalled attempt", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "stall" });
    const run = await f.run(["--timeout", STALL_TIMEOUT_SECONDS, "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 124, run.stderr);
    assert.ok(run.elapsedMs >= STALL_TIMEOUT_MS, `gave up after ${run.elapsedMs} ms, before its ${STALL_TIMEOUT_SECONDS} s`);
    assertEndedWithin(f, STALL_TIMEOUT_MS + SLACK_MS);
  });

  test("a timeout while waiting for headers (no-stream stall) is a timeout too", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "stall" });
    const run = await f.run(["--no-stream", `--timeout-ms=${STALL_TIMEOUT_MS}`, "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 124, run.stderr);
    assertEndedWithin(f, STALL_TIMEOUT_MS + SLACK_MS);
  });

  test("--timeout-seconds: a stall after one image is a partial success (exit 0, timed_out)", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "stall", afterImages: 1 }, { kind: "stall", afterImages: 1 });
    const [jsonDir, plainDir] = [join(f.outDir, "json"), join(f.outDir, "plain")];
    // Side by side: each run waits out its own timeout.
    const [run, plain] = await Promise.all([
      f.run(["--json", "--timeout-seconds", STALL_TIMEOUT_SECONDS, "--out-dir", jsonDir, "x"]),
      f.run(["--timeout-ms", String(STALL_TIMEOUT_MS), "--out-dir", plainDir, "x"]),
    ]);
    assert.equal(run.code, 0, run.stderr);
    const result = run.json();
    assert.equal(result.timed_out, true);
    assert.equal(result.images.length, 1);
    assert.deepEqual(listDir(jsonDir), [basename(result.images[0]?.path ?? "")]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.deepEqual(plain.lines().map((path) => basename(path)), listDir(plainDir), "the saved path is printed");
    assert.equal(listDir(plainDir).length, 1);
    assert.equal(f.backend.generations.length, 2, "neither run retried");
  });
});

describe("signals", { concurrency: 4 }, () => {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    test(`${signal} during a generation exits ${code} and leaves no temp file`, async (t) => {
      const f = await setupCli(t);
      f.backend.enqueue({ kind: "stall" });
      const run = await f.run(["--out-dir", f.outDir, "x"], {
        onSpawn: (child) => {
          const poll = setInterval(() => {
            if (f.backend.generations.length > 0) {
              clearInterval(poll);
              child.kill(signal);
            }
          }, 20);
          child.on("exit", () => clearInterval(poll));
        },
      });
      assert.equal(run.code, code, `signal=${String(run.signal)} stderr=${run.stderr}`);
      assert.equal(run.stdout, "");
      assert.deepEqual(listDir(f.outDir), []);
    });
  }
});

describe("--deadline", { concurrency: 4 }, () => {
  test("bounds the whole run across attempts and backoff: exit 124 in time", async (t) => {
    const f = await setupCli(t);
    // Without the deadline: 5 attempts over at least 1 + 2 + 4 + 8 s of backoff, then exit 1.
    f.backend.enqueue(...Array.from({ length: 5 }, (): Scenario => ({ kind: "http-error", status: 503 })));
    const run = await f.run(["--retries", "4", "--deadline", STALL_TIMEOUT_SECONDS, "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 124, run.stderr);
    assertEndedWithin(f, STALL_TIMEOUT_MS + SLACK_MS);
    assert.match(run.stderr, new RegExp(`--deadline of ${STALL_TIMEOUT_SECONDS} s`));
    assert.ok(f.backend.generations.length >= 1 && f.backend.generations.length <= 3, "attempts start at 0, 1 and 3 s at the earliest");
  });

  test("wins over a longer per-attempt timeout; images saved before it are kept (exit 0, timed_out)", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "stall", afterImages: 1 });
    const run = await f.run(["--json", "--timeout", "60", "--deadline", STALL_TIMEOUT_SECONDS, "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assertEndedWithin(f, STALL_TIMEOUT_MS + SLACK_MS);
    const result = run.json();
    assert.equal(result.timed_out, true);
    assert.equal(result.image_count, 1);
  });

  test("non-positive, non-numeric or oversized values are usage errors", async (t) => {
    const f = await setupCli(t);
    for (const value of ["0", "-3", "soon"]) assertUsageError(await f.run([`--deadline=${value}`, "x"]), /--deadline must be a positive number/);
    assertUsageError(await f.run(["--deadline", "3000000", "x"]), /--deadline may be at most 2147483 s/);
    assertUsageError(await f.run(["--timeout", "2200000", "x"]), /--timeout may be at most 2147483 s/);
    assertUsageError(await f.run(["--timeout-ms", "3000000000", "x"]), /--timeout-ms may be at most 2147483647 ms/);
  });
});
