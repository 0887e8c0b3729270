/** The account's limits from the usage endpoint: `--smoke --usage [--json]` and the batch summary (spec §3, §5, §8). */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { batchJson, runBatch, writeJobs } from "../support/batch-fixture.js";
import { ACCOUNT_ID, assertNoSecrets, setupCli } from "../support/cli-fixture.js";
import { runCli } from "../support/run-cli.js";

interface SmokeJson {
  access_token_expires_in_seconds: number;
  warnings?: string[];
  usage_limits?: {
    plan_type: string | null;
    windows: Array<{ name: string; used_percent: number | null; window_seconds: number | null; resets_at: string | null; resets_in_seconds: number | null }>;
    credits?: Record<string, unknown>;
    fetched_at: string;
  } | null;
}

const smokeJson = (stdout: string): SmokeJson => JSON.parse(stdout) as SmokeJson;
const bearerOf = (authorization: string | undefined): string | undefined => /^Bearer (.+)$/.exec(authorization ?? "")?.[1];

describe("--smoke --usage", { concurrency: 4 }, () => {
  test("plain: the auth summary, then plan, each window's used percent, length and reset, and credits as key: value lines", async (t) => {
    const f = await setupCli(t);
    const run = await f.run(["--smoke", "--usage"]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.lines();
    assert.ok(lines.includes(`account_id: ${ACCOUNT_ID}`), run.stdout);
    assert.equal(lines.indexOf("plan: plus"), lines.findIndex((line) => line.startsWith("timeout_seconds: ")) + 1, "the limits follow the auth summary");
    assert.ok(lines.some((line) => /^primary: 42% used of a 5-hour window, resets at .+ local time \(in 3[56]\d\d s\)$/.test(line)), run.stdout);
    assert.ok(lines.some((line) => /^secondary: 7% used of a 7-day window, resets at .+ local time \(in 43\d{4} s\)$/.test(line)), run.stdout);
    assert.ok(lines.includes("credits: has_credits true, unlimited false, balance 12.50"), run.stdout);
    assert.equal(run.stderr, "");

    const [request] = f.backend.usageRequests;
    assert.equal(f.backend.usageRequests.length, 1);
    assert.equal(request?.headers.authorization, `Bearer ${f.access}`);
    assert.equal(request?.headers["chatgpt-account-id"], ACCOUNT_ID);
    assert.equal(request?.headers.accept, "application/json");
    assert.equal(f.backend.generations.length, 0, "nothing generated");
    assert.equal(f.backend.oauth.calls.length, 0, "no refresh for a fresh token");
  });

  test("--json adds usage_limits: plan_type, windows with ISO reset times, credits verbatim, fetched_at", async (t) => {
    const f = await setupCli(t);
    const started = Date.now();
    const run = await f.run(["--smoke", "--usage", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const limits = smokeJson(run.stdout).usage_limits;
    assert.ok(limits, run.stdout);
    assert.equal(limits.plan_type, "plus");
    assert.deepEqual(
      limits.windows.map(({ name, used_percent, window_seconds }) => ({ name, used_percent, window_seconds })),
      [
        { name: "primary", used_percent: 42, window_seconds: 18_000 },
        { name: "secondary", used_percent: 7, window_seconds: 604_800 },
      ],
    );
    const primary = limits.windows[0];
    const resetsAt = Date.parse(primary?.resets_at ?? "");
    assert.ok(Math.abs(resetsAt - (started + 3_600_000)) < 60_000, `resets_at ${primary?.resets_at}`);
    assert.ok(Math.abs((primary?.resets_in_seconds ?? 0) - 3600) < 60);
    assert.deepEqual(limits.credits, { has_credits: true, unlimited: false, balance: "12.50" });
    assert.ok(Date.parse(limits.fetched_at) >= started - 1000);
  });

  test("without --usage, --smoke does not call the usage endpoint; --usage on a generation keeps reading the headers", async (t) => {
    const f = await setupCli(t);
    const smoke = await f.run(["--smoke", "--json"]);
    assert.equal(smoke.code, 0, smoke.stderr);
    assert.equal(smokeJson(smoke.stdout).usage_limits, undefined);
    const generation = await f.run(["--usage", "--out-dir", f.outDir, "x"]);
    assert.equal(generation.code, 0, generation.stderr);
    assert.match(generation.stderr, /no rate-limit headers/);
    assert.equal(f.backend.usageRequests.length, 0);
  });

  test("a partial answer: what is missing is shown as unknown, never guessed", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueueUsage(
      { body: { rate_limit: { primary_window: { used_percent: 12 }, secondary_window: null } } },
      { body: { rate_limit: { primary_window: { used_percent: 12 }, secondary_window: null } } },
    );
    const plain = await f.run(["--smoke", "--usage"]);
    assert.equal(plain.code, 0, plain.stderr);
    const lines = plain.lines();
    assert.ok(lines.includes("plan: unknown"), plain.stdout);
    assert.ok(lines.includes("primary: 12% used, window length unknown, reset time unknown"), plain.stdout);
    assert.ok(!lines.some((line) => line.startsWith("secondary") || line.startsWith("credits")), plain.stdout);

    const json = await f.run(["--smoke", "--usage", "--json"]);
    const limits = smokeJson(json.stdout).usage_limits;
    assert.deepEqual(limits && { ...limits, fetched_at: "" }, {
      plan_type: null,
      windows: [{ name: "primary", used_percent: 12, window_seconds: null, resets_at: null, resets_in_seconds: null }],
      fetched_at: "",
    });
  });

  for (const [what, answer] of [
    ["HTTP 500", { status: 500, body: { error: { message: "boom" } } }],
    ["a garbage answer", { body: "<html>not json</html>" }],
  ] as const) {
    test(`${what} from the usage endpoint is a warning: exit 0, the auth summary still printed, usage_limits null`, async (t) => {
      const f = await setupCli(t);
      f.backend.enqueueUsage(answer, answer);
      const plain = await f.run(["--smoke", "--usage"]);
      assert.equal(plain.code, 0, plain.stderr);
      assert.ok(plain.lines().includes(`account_id: ${ACCOUNT_ID}`), plain.stdout);
      assert.ok(!plain.lines().some((line) => line.startsWith("plan:")), plain.stdout);
      assert.match(plain.stderr, /^warning: Could not read the account's limits: .*the limits are unknown for now\. Try again later\.$/m);

      const json = await f.run(["--smoke", "--usage", "--json"]);
      assert.equal(json.code, 0, json.stderr);
      const summary = smokeJson(json.stdout);
      assert.equal(summary.usage_limits, null);
      assert.match(summary.warnings?.join("\n") ?? "", /Could not read the account's limits/);
    });
  }

  test("an unreachable usage endpoint is a warning naming the network, and exit 0", async (t) => {
    const f = await setupCli(t);
    const closed = await setupCli(t);
    await closed.backend.close();
    const run = await runCli(["--smoke", "--usage", "--auth", f.authFile, "--refresh-url", f.backend.refreshUrl, "--base-url", closed.backend.baseUrl], { home: f.home });
    assertNoSecrets(run, [f.access, f.refresh]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^warning: Could not read the account's limits: The usage endpoint on 127\.0\.0\.1:\d+ could not be read \(ECONNREFUSED\); check your network/m);
  });

  test("a base URL without /codex: a warning that says which base URLs have a usage endpoint, and no request", async (t) => {
    const f = await setupCli(t);
    const run = await runCli(["--smoke", "--usage", "--auth", f.authFile, "--refresh-url", f.backend.refreshUrl, "--base-url", `${f.backend.url}/v1`], { home: f.home });
    assertNoSecrets(run, [f.access, f.refresh]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /warning: Could not read the account's limits: The base URL .*\/v1 does not end in \/codex/);
    assert.equal(f.backend.requests.length, 0);
  });

  test("an expired token is not sent and not refreshed (--smoke never refreshes unless forced): a warning names --refresh-only", async (t) => {
    const f = await setupCli(t, { expiresIn: -120 });
    const run = await f.run(["--smoke", "--usage", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(f.backend.oauth.calls.length, 0, "no refresh");
    assert.equal(f.backend.usageRequests.length, 0, "a token the endpoint would refuse is not sent");
    const summary = smokeJson(run.stdout);
    assert.equal(summary.usage_limits, null);
    assert.match(run.stderr, /warning: Could not read the account's limits: The access token expired \d+ s ago.*--refresh-only.*--force-refresh/);
  });

  test("with --force-refresh the token is refreshed first (once), and the limits are read with the new one", async (t) => {
    const f = await setupCli(t, { expiresIn: -120 });
    const run = await f.run(["--smoke", "--usage", "--json", "--force-refresh"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(f.backend.oauth.calls.length, 1, "one refresh");
    const stored = (JSON.parse(readFileSync(f.authFile, "utf8")) as { tokens: { access_token: string } }).tokens.access_token;
    assert.notEqual(stored, f.access, "the new token was written back");
    assert.deepEqual(f.backend.usageRequests.map((request) => bearerOf(request.headers.authorization)), [stored]);
    assert.equal(smokeJson(run.stdout).usage_limits?.plan_type, "plus");
  });

  test("a 401 from the usage endpoint is not refreshed by --smoke: a warning that says how to refresh", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueueUsage({ status: 401, body: { error: { code: "token_expired" } } });
    const run = await f.run(["--smoke", "--usage"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(f.backend.oauth.calls.length, 0);
    assert.equal(f.backend.usageRequests.length, 1);
    assert.match(run.stderr, /warning: Could not read the account's limits: The usage endpoint refused the access token \(HTTP 401\); run `codex-imagen --refresh-only`/);
  });

  test("with --no-refresh a 401 is a warning and nothing is refreshed", async (t) => {
    const f = await setupCli(t);
    f.backend.rejectToken(f.access);
    const run = await f.run(["--smoke", "--usage", "--no-refresh"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(f.backend.oauth.calls.length, 0);
    assert.equal(f.backend.usageRequests.length, 1);
    assert.match(run.stderr, /warning: Could not read the account's limits: The usage endpoint refused the access token \(HTTP 401\)/);
  });
});

describe("batch and the account's limits", { concurrency: 4 }, () => {
  test("--json carries usage_limits, read once; stderr that is not a terminal gets no limit lines", async (t) => {
    const f = await setupCli(t);
    const file = writeJobs(f.home.home, "two.jsonl", [{ prompt: "a fox", id: "fox" }, { prompt: "a whale", id: "whale" }]);
    const run = await runBatch(f, file, ["--json"]);
    assert.equal(run.code, 0, run.stderr);
    const summary = batchJson(run);
    assert.equal(summary.counts.done, 2);
    assert.equal(summary.usage_limits?.plan_type, "plus");
    assert.deepEqual(summary.usage_limits?.windows.map((window) => [window.name, window.used_percent]), [["primary", 42], ["secondary", 7]]);
    assert.equal(f.backend.usageRequests.length, 1);
    assert.doesNotMatch(run.stderr, /limits (plan|primary)/);
  });

  test("a failing usage endpoint never stops a batch: every job done, usage_limits null, a warning", async (t) => {
    const f = await setupCli(t);
    f.backend.enqueueUsage({ status: 503, body: "unavailable" });
    const file = writeJobs(f.home.home, "one.jsonl", [{ prompt: "a fox", id: "fox" }]);
    const run = await runBatch(f, file, ["--json"]);
    assert.equal(run.code, 0, run.stderr);
    const summary = batchJson(run);
    assert.equal(summary.counts.done, 1);
    assert.equal(summary.usage_limits, null);
    assert.match(run.stderr, /^warning: Could not read the account's limits: The usage endpoint \(.+\) answered HTTP 503/m);
  });

  test("the mock backend has no login: no usage request, no usage_limits", async (t) => {
    const f = await setupCli(t);
    const file = writeJobs(f.home.home, "mock.jsonl", [{ prompt: "a fox", id: "fox" }]);
    const run = await runCli(["batch", file, "--backend", "mock", "--json"], { home: f.home });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!("usage_limits" in batchJson(run)));
    assert.equal(f.backend.requests.length, 0);
  });
});
