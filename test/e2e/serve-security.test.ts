/** `codex-imagen serve`'s security model: loopback or a key, constant 401s, no secrets or prompts out, only kept files served, capped bodies. */
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { assertUsageError } from "../support/cli-fixture.js";
import { tinyPng } from "../support/images.js";
import { makeTempDir, runCli } from "../support/run-cli.js";
import { assertNoCredentials, errorOf, rawRequest, setupServe, startServe, type ServeFixture, type ServeProcess } from "../support/serve-fixture.js";

const API_KEY = "sk-security-test-key";

test("a non-loopback --host without an API key refuses to start: exit 2 and a clear message", async () => {
  const run = await runCli(["serve", "--host", "0.0.0.0", "--port", "0"]);
  assertUsageError(run, /Refusing to listen on 0\.0\.0\.0 without an API key.*--api-key KEY or CODEX_IMAGEN_API_KEY/);
});

test("a non-loopback --host starts with CODEX_IMAGEN_API_KEY and asks every request for it", async () => {
  const server = await startServe(["--host", "0.0.0.0", "--backend", "mock"], { env: { CODEX_IMAGEN_API_KEY: API_KEY } });
  try {
    // Listening on every address, it prints the one that works from this machine on every system (0.0.0.0 does not on Windows).
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const local = server.origin;
    assert.equal((await fetch(`${local}/health`)).status, 401);
    assert.equal((await fetch(`${local}/health`, { headers: { authorization: `Bearer ${API_KEY}` } })).status, 200);
  } finally {
    await server.stop();
  }
});

/** Resolves once `condition` holds, checking as files change: for a file that disappears after an answer. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("serve with an API key, a real backend path and an expired login", () => {
  let f: ServeFixture;
  const tmp = makeTempDir("codex-imagen-serve-tmp-");

  before(async () => {
    f = await setupServe(undefined, { expiresIn: -60, args: ["--api-key", API_KEY, "--retries", "0"], env: { TMPDIR: tmp } });
  });
  after(async () => {
    await f.close();
    // Node 22+ keeps its own compile cache in the temp dir (the CLI turns it on); it is not the server's to remove.
    const leftOver = readdirSync(tmp).filter((name) => name !== "node-compile-cache");
    assert.deepEqual(leftOver, [], "the server's temp files outlived it");
  });

  test("a missing or wrong bearer is 401 invalid_api_key on every route, and nothing reaches the backend", async () => {
    const sent = f.backend.requests.length;
    const attempts: Array<[string, string, Record<string, string>]> = [
      ["POST", "/v1/images/generations", {}],
      ["POST", "/v1/images/generations", { authorization: "Bearer sk-wrong" }],
      ["POST", "/v1/images/generations", { authorization: `Basic ${API_KEY}` }],
      ["POST", "/v1/images/edits", { authorization: `Bearer ${API_KEY}x` }],
      ["GET", "/v1/models", {}],
      ["GET", "/health", { authorization: "Bearer " }],
    ];
    for (const [method, path, headers] of attempts) {
      const body = method === "POST" ? Buffer.from('{"prompt":"x"}') : undefined;
      const answer = await rawRequest(f.server.origin, { method, path, headers: { "content-type": "application/json", ...headers }, body });
      assert.equal(answer.status, 401, `${method} ${path} ${JSON.stringify(headers)}`);
      assert.equal(errorOf(answer).code, "invalid_api_key");
      assert.equal(errorOf(answer).type, "invalid_request_error");
      assert.match(String(answer.headers["x-request-id"]), /^req_/);
      assert.ok(!answer.body.includes("sk-wrong") && !answer.body.includes(API_KEY), "a key was echoed");
    }
    assert.equal(f.backend.requests.length, sent);
  });

  test("a failed login is 503 naming the login command, never the credential file; the next request logs in again", async () => {
    f.backend.oauth.failNext("invalid_grant");
    const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };
    const failed = await fetch(`${f.server.url}/images/generations`, { method: "POST", headers, body: JSON.stringify({ prompt: "a hidden harbour" }) });
    const text = await failed.text();
    assert.equal(failed.status, 503, text);
    assert.match(text, /codex login/);
    assertNoCredentials(text, f);
    const next = await fetch(`${f.server.url}/images/generations`, { method: "POST", headers, body: JSON.stringify({ prompt: "a hidden harbour" }) });
    assert.equal(next.status, 200);
    assertNoCredentials(await next.text(), f);
    await f.server.waitForLog(/POST \/v1\/images\/generations 200 images=1/);
    const log = f.server.stderr();
    assert.match(log, /POST \/v1\/images\/generations 503 images=0 \d+ms req_\w+ error=auth_/);
    assertNoCredentials(log, f);
    assert.doesNotMatch(log, /hidden harbour/, "the prompt was logged without --verbose");
  });

  test("bodies over the limit are 413 before they are read", async () => {
    const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };
    // Announced but never sent: the answer cannot have waited for the body.
    const generation = await rawRequest(f.server.origin, { path: "/v1/images/generations", headers, declaredLength: 2 * 1024 * 1024 });
    assert.equal(generation.status, 413);
    const edit = await rawRequest(f.server.origin, {
      path: "/v1/images/edits",
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "multipart/form-data; boundary=x" },
      declaredLength: 65 * 1024 * 1024,
    });
    assert.equal(edit.status, 413);
    // Without a length, reading stops at the limit.
    const chunked = await rawRequest(f.server.origin, { path: "/v1/images/generations", headers: { ...headers, "transfer-encoding": "chunked" }, body: Buffer.alloc(1024 * 1024 + 10, 0x20) });
    assert.equal(chunked.status, 413);
    assert.equal(errorOf(chunked).code, "request_too_large");
  });

  test("an image over 50 MB in a multipart edit is 413 naming the image", async () => {
    const form = new FormData();
    form.append("prompt", "too big");
    form.append("image[]", new Blob([Buffer.alloc(50 * 1024 * 1024 + 1)], { type: "image/png" }), "huge.png");
    const answer = await fetch(`${f.server.url}/images/edits`, { method: "POST", headers: { authorization: `Bearer ${API_KEY}` }, body: form });
    const body = (await answer.json()) as { error: { param: string; message: string } };
    assert.equal(answer.status, 413);
    assert.equal(body.error.param, "image");
    assert.match(body.error.message, /huge\.png.*50 MB/);
  });

  test("a client that leaves mid-upload does not take the server down", async () => {
    const uploads = (): string[] => readdirSync(tmp).flatMap((root) => readdirSync(join(tmp, root)).filter((name) => name.startsWith("upload-")));
    const before = new Set(uploads());
    const { hostname, port } = new URL(f.server.origin);
    const request = http.request({
      hostname,
      port,
      method: "POST",
      path: "/v1/images/edits",
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "multipart/form-data; boundary=cut", "content-length": String(10 * 1024 * 1024) },
    });
    request.on("error", () => undefined);
    request.write('--cut\r\ncontent-disposition: form-data; name="image"; filename="a.png"\r\ncontent-type: image/png\r\n\r\n');
    request.write(Buffer.alloc(256 * 1024));
    await until(() => uploads().some((name) => !before.has(name)), "the upload has begun");
    request.destroy();
    await f.server.waitForLog(/POST \/v1\/images\/edits 499 images=0 \d+ms req_\w+.*client-closed/);
    const health = await fetch(`${f.server.origin}/health`, { headers: { authorization: `Bearer ${API_KEY}` } });
    assert.equal(health.status, 200);
  });

  test("answered images, uploads and partial frames leave no file behind", async () => {
    f.backend.enqueue({ kind: "images", images: [{ partials: 2 }] });
    const form = new FormData();
    form.append("prompt", "edit with frames");
    form.append("stream", "true");
    form.append("partial_images", "2");
    form.append("image", new Blob([tinyPng("upload")], { type: "image/png" }), "upload.png");
    const answer = await fetch(`${f.server.url}/images/edits`, { method: "POST", headers: { authorization: `Bearer ${API_KEY}` }, body: form });
    assert.equal(answer.status, 200);
    assert.equal((await answer.text()).match(/^event: image_edit\./gm)?.length, 3);
    const [root] = readdirSync(tmp);
    assert.match(root ?? "", /^codex-imagen-serve-/);
    await until(() => readdirSync(join(tmp, root ?? "")).length === 0, "the request's files are gone");
  });

  test("no CORS headers without --cors", async () => {
    const answer = await fetch(`${f.server.origin}/health`, { headers: { authorization: `Bearer ${API_KEY}`, origin: f.server.origin } });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get("access-control-allow-origin"), null);
  });
});

describe("serve --backend mock --keep --verbose --cors", () => {
  let server: ServeProcess;
  let keepDir: string;
  const outside = makeTempDir("codex-imagen-outside-");

  before(async () => {
    keepDir = join(makeTempDir("codex-imagen-keep-"), "kept");
    server = await startServe(["--backend", "mock", "--keep", keepDir, "--verbose", "--cors", "http://localhost:3000"]);
  });
  after(() => server.stop());

  test("--verbose logs the prompt", async () => {
    const answer = await fetch(`${server.url}/images/generations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ prompt: "a secret garden" }) });
    assert.equal(answer.status, 200);
    await answer.arrayBuffer();
    assert.match(await server.waitForLog(/prompt=/), /POST \/v1\/images\/generations 200 images=1 \d+ms req_\w+ prompt="a secret garden"/);
  });

  test("the files route serves kept images by exact name only: ../, encoded and absolute names, other files and symlinks are 404", async () => {
    const answer = (await (
      await fetch(`${server.url}/images/generations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ prompt: "kept", response_format: "url" }) })
    ).json()) as { data: Array<{ url: string }> };
    const url = answer.data[0]?.url ?? "";
    assert.equal((await fetch(url)).status, 200);

    writeFileSync(join(outside, "secret.png"), "not for clients");
    writeFileSync(join(keepDir, "notes.txt"), "not an image");
    symlinkSync(join(outside, "secret.png"), join(keepDir, "codex-imagen-20260101-000000-000-1-link.png"));
    mkdirSync(join(keepDir, "codex-imagen-20260101-000000-000-2-dir.png"));
    const paths = [
      "/v1/images/files/../../../etc/passwd",
      "/v1/images/files/..%2F..%2F..%2Fetc%2Fpasswd",
      "/v1/images/files/%2Fetc%2Fpasswd",
      `/v1/images/files/${encodeURIComponent(join(outside, "secret.png"))}`,
      "/v1/images/files//etc/passwd",
      "/v1/images/files/notes.txt",
      "/v1/images/files/codex-imagen-20260101-000000-000-1-link.png",
      "/v1/images/files/codex-imagen-20260101-000000-000-2-dir.png",
      `/v1/images/files/..%2F${encodeURIComponent(new URL(url).pathname.split("/").at(-1) ?? "")}`,
    ];
    for (const path of paths) {
      const answer = await rawRequest(server.origin, { method: "GET", path });
      assert.equal(answer.status, 404, path);
      assert.ok(!answer.body.includes("not for clients"), path);
    }
  });

  test("--cors answers the preflight for its origin", async () => {
    const preflight = await fetch(`${server.url}/images/generations`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:3000", "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
    });
    assert.ok(preflight.status === 204 || preflight.status === 200, String(preflight.status));
    assert.equal(preflight.headers.get("access-control-allow-origin"), "http://localhost:3000");
    const other = await fetch(`${server.origin}/health`, { headers: { origin: "http://evil.example" } });
    assert.notEqual(other.headers.get("access-control-allow-origin"), "http://evil.example");
  });
});
