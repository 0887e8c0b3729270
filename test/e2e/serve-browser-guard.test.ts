/**
 * `codex-imagen serve`'s browser guard: no web page may spend the user's quota or read their images. Every refusal is
 * answered before the body is read (the body is announced but never sent) and sends nothing upstream; programs without
 * an Origin, the server's own pages and the --cors page still work.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { tinyPng } from "../support/images.js";
import { errorOf, openaiClient, rawRequest, setupServe, startServe, type RawAnswer, type ServeFixture } from "../support/serve-fixture.js";

const JSON_TYPE = { "content-type": "application/json" };
const GENERATION = '{"prompt":"a fox"}';
const API_KEY = "sk-guard-test-key";

const portOf = (f: ServeFixture): string => new URL(f.server.origin).port;

/** A generation whose 1 MB body is announced but never sent: only an answer that did not read it can arrive. */
const unsentGeneration = (f: ServeFixture, headers: Record<string, string>): Promise<RawAnswer> =>
  rawRequest(f.server.origin, { path: "/v1/images/generations", headers: { ...JSON_TYPE, ...headers }, declaredLength: 1024 * 1024 });

const generation = (f: ServeFixture, headers: Record<string, string>): Promise<RawAnswer> =>
  rawRequest(f.server.origin, { path: "/v1/images/generations", headers: { ...JSON_TYPE, ...headers }, body: Buffer.from(GENERATION) });

function assertRefused(answer: RawAnswer, status: number, code: string, message: RegExp, what: string): void {
  assert.equal(answer.status, status, `${what}: ${answer.body}`);
  const error = errorOf(answer);
  assert.equal(error.code, code, what);
  assert.equal(error.type, "invalid_request_error", what);
  assert.match(error.message, message, what);
  assert.match(String(answer.headers["x-request-id"]), /^req_/, what);
  assert.equal(answer.headers["access-control-allow-origin"], undefined, what);
}

describe("serve on loopback refuses what a web page would send, before reading it, and sends nothing upstream", () => {
  let f: ServeFixture;

  before(async () => {
    f = await setupServe(undefined);
  });
  after(async () => {
    assert.deepEqual(f.backend.requests, [], "a refused request reached the backend");
    assert.deepEqual(f.backend.oauth.calls, [], "a refused request refreshed the login");
    await f.close();
  });

  test("a Host that is not a loopback name with the server's port is 421 (DNS rebinding), on every route", async () => {
    const port = portOf(f);
    for (const host of [`evil.example:${port}`, "evil.example", `127.0.0.1:${Number(port) + 1}`, `localhost.evil.example:${port}`, `127.0.0.1.nip.io:${port}`]) {
      assertRefused(await unsentGeneration(f, { host }), 421, "misdirected_request", /127\.0\.0\.1:\d+.*DNS rebinding/, host);
      for (const path of ["/health", "/v1/models", "/", "/v1/images/files/codex-imagen-20260101-000000-000-1-x.png"]) {
        assert.equal((await rawRequest(f.server.origin, { method: "GET", path, headers: { host } })).status, 421, `${host} ${path}`);
      }
    }
    // Not even a host name: the HTTP layer refuses it before the app sees it.
    assert.equal((await unsentGeneration(f, { host: `user@127.0.0.1:${port}` })).status, 400);
    await f.server.waitForLog(/POST \/v1\/images\/generations 421 images=0 \d+ms req_\w+ error=misdirected_request/);
  });

  test("an Origin other than the server's own is 403 naming --cors; Origin: null too", async () => {
    const port = portOf(f);
    const foreign = ["http://evil.example", `http://evil.example:${port}`, `https://127.0.0.1:${port}`, `http://127.0.0.1:${Number(port) + 1}`, `http://localhost.evil.example:${port}`];
    for (const origin of foreign) {
      assertRefused(await unsentGeneration(f, { origin }), 403, "origin_not_allowed", new RegExp(`--cors ${origin.replace(/[.:/]/g, "\\$&")}`), origin);
    }
    assertRefused(await unsentGeneration(f, { origin: "null" }), 403, "origin_not_allowed", /--cors ORIGIN/, "null");
    // A form post from another site is multipart, which the edits route takes: the Origin rule refuses it.
    const form = await rawRequest(f.server.origin, {
      path: "/v1/images/edits",
      headers: { origin: "http://evil.example", "content-type": "multipart/form-data; boundary=x" },
      declaredLength: 1024 * 1024,
    });
    assertRefused(form, 403, "origin_not_allowed", /--cors http:\/\/evil\.example/, "multipart edit");
    const read = await rawRequest(f.server.origin, { method: "GET", path: "/v1/models", headers: { origin: "http://evil.example" } });
    assertRefused(read, 403, "origin_not_allowed", /--cors/, "GET");
  });

  test("a body that is not JSON is 415 (no cross-site simple request reaches a handler); edits also take multipart", async () => {
    const refused: Array<[string, string | undefined]> = [
      ["/v1/images/generations", "text/plain"],
      ["/v1/images/generations", "text/plain;charset=UTF-8"],
      ["/v1/images/generations", "application/x-www-form-urlencoded"],
      ["/v1/images/generations", "multipart/form-data; boundary=x"],
      ["/v1/images/generations", undefined],
      ["/v1/images/edits", "text/plain"],
      ["/v1/images/edits", "application/json-patch+json"],
    ];
    for (const [path, type] of refused) {
      const answer = await rawRequest(f.server.origin, { path, headers: type === undefined ? {} : { "content-type": type }, declaredLength: 1024 * 1024 });
      assertRefused(answer, 415, "unsupported_media_type", /content-type: application\/json/, `${path} ${type}`);
    }
  });
});

describe("serve on loopback still answers programs, its own pages under every loopback name, and the --cors page", () => {
  let f: ServeFixture;
  const corsOrigin = "http://localhost:5173";

  before(async () => {
    f = await setupServe(undefined, { args: ["--cors", corsOrigin] });
  });
  after(() => f.close());

  test("the official SDK and requests without an Origin (curl) work", async () => {
    const answer = await openaiClient(f.server).images.generate({ prompt: "through the SDK" });
    assert.ok(Buffer.from(answer.data?.[0]?.b64_json ?? "", "base64").equals(f.backend.defaultImage));
    assert.equal((await generation(f, { "content-type": "application/json; charset=utf-8" })).status, 200);
  });

  test("a page of this server (Origin = its own origin under 127.0.0.1, localhost or [::1]) and a Host of any loopback name pass", async () => {
    const port = portOf(f);
    const sent = f.backend.generations.length;
    const loopback = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `127.0.0.2:${port}`, `LOCALHOST:${port}`];
    for (const host of loopback) {
      const answer = await generation(f, { host, origin: `http://${host.toLowerCase()}` });
      assert.equal(answer.status, 200, `${host}: ${answer.body}`);
    }
    assert.equal((await generation(f, { host: `127.0.0.1:${port}`, origin: `http://localhost:${port}` })).status, 200, "another loopback name of this server");
    assert.equal(f.backend.generations.length, sent + loopback.length + 1);
  });

  test("the --cors origin gets its preflight answered, its requests served with CORS headers, and a readable 415", async () => {
    const preflight = await rawRequest(f.server.origin, {
      method: "OPTIONS",
      path: "/v1/images/generations",
      headers: { origin: corsOrigin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers["access-control-allow-origin"], corsOrigin);
    assert.match(String(preflight.headers["access-control-allow-headers"]), /content-type/);
    const answer = await generation(f, { origin: corsOrigin });
    assert.equal(answer.status, 200, answer.body);
    assert.equal(answer.headers["access-control-allow-origin"], corsOrigin);
    const plain = await rawRequest(f.server.origin, { path: "/v1/images/generations", headers: { origin: corsOrigin, "content-type": "text/plain" }, body: Buffer.from(GENERATION) });
    assert.equal(plain.status, 415);
    assert.equal(plain.headers["access-control-allow-origin"], corsOrigin, "the page can read why it was refused");
    const foreignPreflight = await rawRequest(f.server.origin, {
      method: "OPTIONS",
      path: "/v1/images/generations",
      headers: { origin: "http://evil.example", "access-control-request-method": "POST" },
    });
    assert.equal(foreignPreflight.status, 403);
  });

  test("a multipart edit from the server's own origin is served", async () => {
    const form = new FormData();
    form.append("prompt", "edit from the page");
    form.append("image", new Blob([tinyPng("own page")], { type: "image/png" }), "a.png");
    const answer = await fetch(`${f.server.url}/images/edits`, { method: "POST", headers: { origin: f.server.origin }, body: form });
    assert.equal(answer.status, 200, await answer.clone().text());
  });
});

test("bound beyond loopback (API key required), any Host is served: the server cannot know its public name; Origin must match Host", async () => {
  const server = await startServe(["--host", "0.0.0.0", "--backend", "mock", "--api-key", API_KEY]);
  try {
    const origin = server.origin.replace("0.0.0.0", "127.0.0.1");
    const port = new URL(origin).port;
    const headers = { authorization: `Bearer ${API_KEY}`, ...JSON_TYPE };
    const post = (extra: Record<string, string>) => rawRequest(origin, { path: "/v1/images/generations", headers: { ...headers, ...extra }, body: Buffer.from(GENERATION) });
    assert.equal((await post({ host: `images.example.net:${port}` })).status, 200, "a public name");
    assert.equal((await post({ host: `images.example.net:${port}`, origin: `http://images.example.net:${port}` })).status, 200, "a page served under that name");
    assert.equal((await post({ host: `images.example.net:${port}`, origin: "http://evil.example" })).status, 403, "a page elsewhere");
    assert.equal((await post({ origin: "http://evil.example", authorization: "Bearer wrong" })).status, 403, "refused before the key is checked");
  } finally {
    await server.stop();
  }
});
