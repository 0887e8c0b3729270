/** HTTPS_PROXY / HTTP_PROXY / NO_PROXY (any case) for the backend POST, the token refresh and remote references. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { listDir, setupCli, type CliFixture } from "../support/cli-fixture.js";
import { startForwardProxy, type ForwardProxy, type ForwardProxyOptions } from "../support/forward-proxy.js";
import { startHostileServer } from "../support/hostile-server.js";
import { tinyPng } from "../support/images.js";
import { REFUSED_PORT } from "../support/listen.js";
import { assertEndedWithin, SLACK_MS, STALL_TIMEOUT_MS, STALL_TIMEOUT_SECONDS } from "../support/timing.js";

type TestContext = Parameters<typeof setupCli>[0];

async function withProxy(t: TestContext, options: ForwardProxyOptions = {}): Promise<{ f: CliFixture; proxy: ForwardProxy }> {
  const f = await setupCli(t, { expiresIn: -60 });
  const proxy = await startForwardProxy(options);
  t.after(() => proxy.close());
  return { f, proxy };
}

describe("faults: proxies", { concurrency: 8 }, () => {
  for (const [name, bare] of [["HTTP_PROXY", false], ["http_proxy", false], ["Http_Proxy", true]] as const) {
    test(`${name}${bare ? " without a scheme" : ""}: the token refresh and the generation both go through the proxy`, async (t) => {
      const { f, proxy } = await withProxy(t);
      const value = bare ? proxy.url.replace("http://", "") : proxy.url;
      const run = await f.run(["--json", "--debug", "--out-dir", f.outDir, "x"], { env: { [name]: value } });
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(proxy.requests, [
        { method: "POST", target: f.backend.refreshUrl },
        { method: "POST", target: `${f.backend.baseUrl}/responses` },
      ]);
      assert.equal(f.backend.oauth.calls.length, 1);
      assert.equal(listDir(f.outDir).length, 1);
    });
  }

  test("NO_PROXY=127.0.0.1 (or no_proxy with the port) bypasses the proxy", async (t) => {
    const { f, proxy } = await withProxy(t);
    const port = new URL(f.backend.url).port;
    for (const env of [{ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" }, { http_proxy: proxy.url, no_proxy: `example.com, 127.0.0.1:${port}` }]) {
      const run = await f.run(["--out-dir", f.outDir, "x"], { env });
      assert.equal(run.code, 0, run.stderr);
    }
    assert.deepEqual(proxy.requests, []);
    assert.equal(f.backend.generations.length, 2);
  });

  test("a remote reference image is fetched through the proxy too", async (t) => {
    const { f, proxy } = await withProxy(t);
    const server = await startHostileServer({ png: tinyPng("via proxy") });
    t.after(() => server.close());
    const run = await f.run(["--image-url", `${server.url}/ref.png`, "--out-dir", f.outDir, "x"], { env: { HTTP_PROXY: proxy.url } });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(proxy.requests.map((r) => r.target), [`${server.url}/ref.png`, f.backend.refreshUrl, `${f.backend.baseUrl}/responses`]);
  });

  test("an unreachable proxy: retried, then exit 1 with a network error that names the proxy variables but not the proxy's password", async (t) => {
    const f = await setupCli(t);
    const run = await f.run(["--json", "--debug", "--retries", "1", "--out-dir", f.outDir, "x"], {
      env: { HTTPS_PROXY: `http://corp:s3cret-proxy-pass@127.0.0.1:${REFUSED_PORT}`, HTTP_PROXY: `http://corp:s3cret-proxy-pass@127.0.0.1:${REFUSED_PORT}` },
    });
    assert.equal(run.code, 1, run.stderr);
    const result = run.json() as { error?: { code: string; message: string }; retry_attempts: number };
    assert.equal(result.error?.code, "network");
    assert.match(result.error?.message ?? "", /through the proxy \(ECONNREFUSED\).*HTTPS_PROXY, HTTP_PROXY and NO_PROXY/);
    assert.equal(result.retry_attempts, 1);
    assert.ok(!run.stdout.includes("s3cret") && !run.stderr.includes("s3cret"), "the proxy password never shows");
    assert.equal(f.backend.generations.length, 0);
  });

  test("a proxy demanding credentials (407): exit 1 at once, saying so, not retried", async (t) => {
    const f = await setupCli(t);
    const proxy = await startForwardProxy({ demandCredentials: true });
    t.after(() => proxy.close());
    const run = await f.run(["--json", "--out-dir", f.outDir, "x"], { env: { HTTP_PROXY: proxy.url } });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /407/);
    assert.equal(proxy.requests.length, 1, "not retried");
  });

  test("through a proxy, a stalled generation still ends at --timeout (exit 124), not at a proxy library limit", async (t) => {
    const f = await setupCli(t);
    const proxy = await startForwardProxy();
    t.after(() => proxy.close());
    f.backend.enqueue({ kind: "stall" });
    const run = await f.run(["--timeout", STALL_TIMEOUT_SECONDS, "--out-dir", f.outDir, "x"], { env: { HTTP_PROXY: proxy.url } });
    assert.equal(run.code, 124, run.stderr);
    assertEndedWithin(f, STALL_TIMEOUT_MS + SLACK_MS);
    assert.equal(proxy.requests.length, 1);
  });
});
