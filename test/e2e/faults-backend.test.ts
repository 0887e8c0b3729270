/**
 * Fault injection against the backend: every failure ends in bounded time with the right exit code, one clear
 * error naming the cause, nothing half-written, and (through `setupCli`) no token in stdout, stderr or JSON.
 * Scenarios run with `--json --debug` so the most talkative output is the one checked for leaks.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { describe, test } from "node:test";
import { listDir, setupCli, type CliFixture } from "../support/cli-fixture.js";
import type { ImageSpec, Scenario } from "../support/fake-backend.js";
import { startFlakyTcp, type ConnectionPlan } from "../support/flaky-tcp.js";
import { tinyJpeg, tinyPng } from "../support/images.js";
import { noisyPng } from "../support/noisy-png.js";
import { assertEndedWithin, SLACK_MS, STALL_TIMEOUT_MS, STALL_TIMEOUT_SECONDS } from "../support/timing.js";
import type { CliRun } from "../support/run-cli.js";

const TALKATIVE = ["--json", "--debug"];

/** The final `error:` line on stderr. */
function errorLine(run: CliRun): string {
  const line = run.stderr.split(/\r?\n/).find((l) => l.startsWith("error: "));
  assert.ok(line !== undefined, `no error line on stderr:\n${run.stderr}`);
  return line;
}

/** Exit 1 with a JSON error of `code`, the request marked failed, and nothing in the output dir. */
function assertFailed(run: CliRun, f: CliFixture, code: string): { message: string } {
  assert.equal(run.code, 1, run.stderr);
  const result = run.json() as ReturnType<CliRun["json"]> & { error?: { code: string; message: string } };
  assert.equal(result.error?.code, code, JSON.stringify(result.error));
  assert.equal(result.requests[0]?.status, "failed");
  assert.deepEqual(result.images, []);
  assert.deepEqual(listDir(f.outDir), [], "nothing written");
  return result.error;
}

/** Gaps between successive generation requests, in ms. */
function gaps(f: CliFixture): number[] {
  return f.backend.generations.slice(1).map((request, i) => request.at - (f.backend.generations[i]?.at ?? 0));
}

/** The backoff delays the run announced on stderr ("retrying in 1.4 s"), in ms. */
function announcedDelays(run: CliRun): number[] {
  return [...run.stderr.matchAll(/retrying in (\d+\.\d) s/g)].map((match) => Number(match[1]) * 1000);
}

describe("faults: transient backend failures", { concurrency: 8 }, () => {
  test("500, 502, 503 are retried with 1 s and 2 s backoff plus jitter, then exit 1 naming the last error", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue(
      { kind: "http-error", status: 500, body: { error: { code: "server_error", message: "first failure" } } },
      { kind: "http-error", status: 502, body: "<html><body>Bad gateway</body></html>" },
      { kind: "http-error", status: 503, body: { error: { message: "the last failure, upstream overloaded" } } },
      { kind: "images" },
    );
    const run = await f.run([...TALKATIVE, "--retries", "2", "--out-dir", f.outDir, "x"]);
    const error = assertFailed(run, f, "backend");
    assert.equal(f.backend.generations.length, 3, "1 attempt + 2 retries, no more");
    assert.match(errorLine(run), /HTTP 503.*the last failure, upstream overloaded/);
    assert.match(error.message, /HTTP 503/);
    assert.equal(run.json().retry_attempts, 2);
    const [firstDelay = 0, secondDelay = 0] = announcedDelays(run);
    assert.ok(firstDelay >= 1000 && firstDelay <= 2000, `first backoff ${firstDelay} ms (1 s + up to 1 s jitter)`);
    assert.ok(secondDelay >= 2000 && secondDelay <= 3000, `second backoff ${secondDelay} ms (2 s + up to 1 s jitter)`);
    // The waits really happened: each retry reached the backend no sooner than announced (less 0.1 s for rounding).
    const [first = 0, second = 0] = gaps(f);
    assert.ok(first >= firstDelay - 100 && first < firstDelay + SLACK_MS, `first retry came ${first} ms after the first attempt`);
    assert.ok(second >= secondDelay - 100 && second < secondDelay + SLACK_MS, `second retry came ${second} ms after the second attempt`);
    assert.match(run.stderr, /retrying in \d+\.\d s \(attempt 2\).*HTTP 500/, "--debug names each retry's reason");
    assert.doesNotMatch(run.stderr, /Bad gateway<|<html>/, "an HTML error page is not dumped on the user");
  });

  test("streamed server_error events are retried up to --retries, then exit 1 naming the backend's words", async (t) => {
    const f = await setupCli(t);
    const failure = (message: string): Scenario => ({ kind: "event-error", type: "response.failed", code: "server_error", message });
    f.backend.enqueue(failure("hiccup one"), failure("hiccup two, still failing"), { kind: "images" });
    const run = await f.run([...TALKATIVE, "--retries", "1", "--out-dir", f.outDir, "x"]);
    assertFailed(run, f, "backend");
    assert.equal(f.backend.generations.length, 2);
    assert.match(errorLine(run), /hiccup two, still failing/);
  });

  test("retry-after is capped at 60 s: the wait is announced as 60 s, and SIGTERM ends it at once (exit 143)", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "http-error", status: 503, body: { error: { message: "come back in an hour" } }, headers: { "retry-after": "3600" } });
    let announced = "";
    let signalledAt = 0;
    const run = await f.run(["--debug", "--out-dir", f.outDir, "x"], {
      onSpawn: (child) => {
        child.stderr?.on("data", (chunk: Buffer) => {
          announced += chunk.toString("utf8");
          if (signalledAt === 0 && /retrying in/.test(announced)) {
            signalledAt = Date.now();
            child.kill("SIGTERM");
          }
        });
      },
    });
    assert.match(announced, /retrying in 60\.0 s/, announced);
    assert.equal(run.code, 143, run.stderr);
    assert.ok(Date.now() - signalledAt < SLACK_MS, `ended ${Date.now() - signalledAt} ms after SIGTERM, not at once`);
    assert.equal(f.backend.generations.length, 1);
    assert.deepEqual(listDir(f.outDir), []);
  });
});

describe("faults: failures that must not be retried", { concurrency: 8 }, () => {
  test("429 with only x-codex reset headers: exit 1 at once, says when it resets in local time and seconds", async (t) => {
    const f = await setupCli(t);
    const limited: Scenario = {
      kind: "http-error",
      status: 429,
      body: "Too Many Requests",
      headers: { "x-codex-primary-used-percent": "100", "x-codex-primary-window-minutes": "300", "x-codex-primary-reset-after-seconds": "5400" },
    };
    f.backend.enqueue(limited, limited);
    const run = await f.run([...TALKATIVE, "--out-dir", f.outDir, "x"]);
    const error = assertFailed(run, f, "rate_limited");
    assert.equal(f.backend.generations.length, 1, "not retried");
    assert.match(errorLine(run), /resets at .+ local time \(in 5[34]\d\d s\)/);
    assert.match(error.message, /in 5[34]\d\d s/);
    assert.equal(run.json().rate_limits?.primary?.used_percent, 100);
  });

  test("a usage_limit_reached error event in the stream: exit 1, not retried, says when it resets", async (t) => {
    const f = await setupCli(t);
    const limited: Scenario = {
      kind: "event-error",
      type: "error",
      code: "usage_limit_reached",
      message: "You've hit your usage limit.",
      headers: { "x-codex-primary-used-percent": "100", "x-codex-primary-reset-after-seconds": "900" },
    };
    f.backend.enqueue(limited, limited);
    const run = await f.run([...TALKATIVE, "--out-dir", f.outDir, "x"]);
    assertFailed(run, f, "rate_limited");
    assert.equal(f.backend.generations.length, 1, "not retried");
    assert.match(errorLine(run), /You've hit your usage limit/);
    assert.match(errorLine(run), /resets at .+ \(in (89\d|900) s\)/);
  });

  test("401 twice: one refresh, one retry, then a clear auth error that says how to log in again", async (t) => {
    const f = await setupCli(t);
    const expired: Scenario = { kind: "http-error", status: 401, body: { error: { code: "token_expired", message: "Provided authentication token is expired." } } };
    f.backend.enqueue(expired, expired, { kind: "images" });
    const run = await f.run([...TALKATIVE, "--out-dir", f.outDir, "x"]);
    const error = assertFailed(run, f, "auth_expired");
    assert.equal(f.backend.generations.length, 2);
    assert.equal(f.backend.oauth.calls.length, 1, "exactly one refresh");
    assert.match(error.message, /401/);
    assert.match(errorLine(run), /refreshed once and still rejected; log in again with `codex login`/);
  });

  test("401, then the refresh token is refused: exit 1 naming the login command; the auth file is untouched", async (t) => {
    const f = await setupCli(t);
    const before = readFileSync(f.authFile, "utf8");
    f.backend.enqueue({ kind: "http-error", status: 401, body: { error: { code: "token_expired", message: "expired" } } });
    f.backend.oauth.failNext("invalid_grant");
    const run = await f.run([...TALKATIVE, "--out-dir", f.outDir, "x"]);
    assertFailed(run, f, "auth_expired");
    assert.equal(f.backend.generations.length, 1, "no retry without a new token");
    assert.match(errorLine(run), /codex login/);
    assert.equal(readFileSync(f.authFile, "utf8"), before);
  });

  test("400 whose message is a safety refusal (no code): exit 1 quoting the backend once, not retried", async (t) => {
    const f = await setupCli(t);
    const words = "Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.";
    const refusal: Scenario = { kind: "http-error", status: 400, body: { error: { type: "invalid_request_error", message: words } } };
    f.backend.enqueue(refusal, refusal);
    const run = await f.run([...TALKATIVE, "--out-dir", f.outDir, "x"]);
    assertFailed(run, f, "policy");
    assert.equal(f.backend.generations.length, 1);
    assert.equal(errorLine(run).split(words).length, 2, "the backend's own words, once");
  });

  test("a model refusal in a non-streamed answer: exit 1 with the model's words, not retried", async (t) => {
    const f = await setupCli(t);
    const words = "I'm sorry, but I can't create that image.";
    f.backend.enqueue({ kind: "text", text: words }, { kind: "text", text: words });
    const run = await f.run([...TALKATIVE, "--no-stream", "--out-dir", f.outDir, "x"]);
    assertFailed(run, f, "policy");
    assert.equal(f.backend.generations.length, 1);
    assert.ok(errorLine(run).includes(words), errorLine(run));
  });
});

describe("faults: the connection breaks", { concurrency: 8 }, () => {
  /** The fake backend behind a relay that breaks connections as planned. */
  async function flaky(t: Parameters<typeof setupCli>[0], plans: ConnectionPlan[]): Promise<{ f: CliFixture; args: string[] }> {
    const f = await setupCli(t);
    const relay = await startFlakyTcp(f.backend.url, plans);
    t.after(() => relay.close());
    return { f, args: ["--base-url", `${relay.url}/backend-api/codex`] };
  }

  test("a TCP reset in the middle of the image data, before anything was saved, is retried and succeeds", async (t) => {
    const big = noisyPng(384);
    const { f, args } = await flaky(t, [{ kind: "reset", afterResponseBytes: 200_000 }]);
    f.backend.enqueue({ kind: "images", images: [{ data: big }] }, { kind: "images", images: [{ data: big }] });
    const run = await f.run([...TALKATIVE, ...args, "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(f.backend.generations.length, 2);
    assert.equal(run.json().retry_attempts, 1);
    const [image] = run.json().images;
    assert.ok(image !== undefined);
    assert.deepEqual(readFileSync(image.path), big, "the retried image is complete");
    assert.deepEqual(listDir(f.outDir), [basename(image.path)], "nothing left of the broken attempt");
  });

  test("a reset before any response, and a server answering garbage, are retried", async (t) => {
    const { f, args } = await flaky(t, [{ kind: "reset", afterResponseBytes: 0 }, { kind: "garbage" }]);
    const run = await f.run([...TALKATIVE, ...args, "--retries", "2", "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.json().retry_attempts, 2);
    assert.equal(listDir(f.outDir).length, 1);
  });

  test("resets on every attempt: exit 1 with a network error naming the host, after --retries", async (t) => {
    const reset: ConnectionPlan = { kind: "reset", afterResponseBytes: 0 };
    const { f, args } = await flaky(t, [reset, reset, reset]);
    const run = await f.run([...TALKATIVE, ...args, "--retries", "1", "--out-dir", f.outDir, "x"]);
    assertFailed(run, f, "network");
    assert.match(errorLine(run), /127\.0\.0\.1:\d+.*(ECONNRESET|socket hang up)/);
  });

  test("a reset in the middle of the second image keeps the first, does not retry, and exits 0", async (t) => {
    const first = noisyPng(128, 1);
    const second = noisyPng(384, 2);
    // Through the first image's events (about 70 KB of base64), into the second's data.
    const { f, args } = await flaky(t, [{ kind: "reset", afterResponseBytes: 250_000 }]);
    f.backend.enqueue({ kind: "images", images: [{ callId: "ig_first", data: first }, { callId: "ig_second", data: second }], repeatInCompleted: false });
    const run = await f.run([...TALKATIVE, ...args, "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /dropped after 1 image/);
    assert.equal(f.backend.generations.length, 1, "not retried once an image is saved");
    const images = run.json().images;
    assert.equal(images.length, 1);
    assert.deepEqual(readFileSync(images[0]?.path ?? ""), first);
    assert.deepEqual(listDir(f.outDir), [basename(images[0]?.path ?? "")], "no trace of the broken second image");
  });
});

describe("faults: stalls and timeouts", { concurrency: 4 }, () => {
  test("headers, then silence: exit 124 soon after --timeout, JSON says timeout, nothing saved", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "stall" });
    const run = await f.run([...TALKATIVE, "--timeout", STALL_TIMEOUT_SECONDS, "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 124, run.stderr);
    assertEndedWithin(f, STALL_TIMEOUT_MS + SLACK_MS);
    const result = run.json() as ReturnType<CliRun["json"]> & { error?: { code: string } };
    assert.equal(result.error?.code, "timeout");
    assert.equal(f.backend.generations.length, 1, "a timeout is not retried");
    assert.deepEqual(listDir(f.outDir), []);
  });

  test("two images, then silence: both kept, timed_out true, exit 0 soon after --timeout", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "stall", afterImages: 2 });
    const run = await f.run([...TALKATIVE, "--timeout-ms", String(STALL_TIMEOUT_MS), "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assertEndedWithin(f, STALL_TIMEOUT_MS + SLACK_MS);
    const result = run.json();
    assert.equal(result.timed_out, true);
    assert.equal(result.images.length, 2);
    for (const image of result.images) assert.deepEqual(readFileSync(image.path), f.backend.defaultImage);
    assert.deepEqual(listDir(f.outDir), result.images.map((image) => basename(image.path)).sort());
  });
});

describe("faults: image data that is not what it claims", { concurrency: 8 }, () => {
  const bad: Array<[string, () => ImageSpec]> = [
    ["a JPEG cut before its end marker", () => ({ data: tinyJpeg().subarray(0, -2), outputFormat: "jpeg" })],
    ["a large PNG cut short", () => ({ data: noisyPng(256).subarray(0, 100_000) })],
    ["an HTML page", () => ({ data: Buffer.from("<!DOCTYPE html><html><body>Sign in</body></html>") })],
    ["base64 with a stray character in the middle", () => ({ b64: `${tinyPng().toString("base64").slice(0, 40)}*${tinyPng().toString("base64").slice(40)}` })],
  ];
  for (const [name, spec] of bad) {
    test(`${name}: exit 1 (invalid_image), nothing in the output dir, not retried`, async (t) => {
      const f = await setupCli(t);
      f.backend.enqueue({ kind: "images", images: [spec()] }, { kind: "images" });
      const run = await f.run([...TALKATIVE, "--out-dir", f.outDir, "x"]);
      assertFailed(run, f, "invalid_image");
      assert.equal(f.backend.generations.length, 1);
      assert.match(errorLine(run), /not a complete|base64/i);
    });
  }

  test("JPEG bytes declared as png are saved as .jpg with a warning (spec: the saved type is the sniffed type)", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueue({ kind: "images", images: [{ data: tinyJpeg(), outputFormat: "png" }] });
    const run = await f.run([...TALKATIVE, "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    const [image] = run.json().images;
    assert.equal(image?.mime, "image/jpeg");
    assert.match(image?.path ?? "", /\.jpg$/);
    assert.match(run.stderr, /warning: .*png.*JPEG|warning: .*JPEG.*png/i);
    assert.deepEqual(readFileSync(image?.path ?? ""), tinyJpeg());
  });
});
