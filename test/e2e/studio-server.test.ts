/** `codex-imagen studio` as a server (no browser): start-up, the browser it opens, its port, its library folder, API keys, and what it refuses to serve. */
import assert from "node:assert/strict";
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { describe, test } from "node:test";
import { makeTempDir, makeTempHome, runCli } from "../support/run-cli.js";
import { rawRequest, startServe } from "../support/serve-fixture.js";
import { PAGE, setupStudio } from "../support/studio-fixture.js";
import { untilFile } from "../support/until-file.js";

const DEFAULT_PORT = 8319;

/** A fake `$BROWSER` that records the URL it was asked to open, exiting with `code`. */
function fakeBrowser(code = 0): { command: string; opened: () => string | undefined; untilOpened: () => Promise<string> } {
  const dir = makeTempDir("codex-imagen-browser-");
  const record = join(dir, "opened.txt");
  const command = join(dir, "browser.sh");
  writeFileSync(command, `#!/bin/sh\nprintf '%s' "$1" > '${record}'\nexit ${code}\n`);
  chmodSync(command, 0o755);
  const opened = () => (existsSync(record) ? readFileSync(record, "utf8") || undefined : undefined);
  return { command, opened, untilOpened: () => untilFile(dir, opened, "the browser being started") };
}

function listenOn(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(undefined)); // already taken by something else: just as good
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

describe("codex-imagen studio", () => {
  test("--help names its flags; stray words are a usage error", async () => {
    const help = await runCli(["studio", "--help"]);
    assert.equal(help.code, 0);
    for (const flag of ["--library DIR", "--no-open", "--port PORT", "--host HOST", "--api-key KEY", "--backend NAME"]) assert.ok(help.stdout.includes(flag), flag);
    const stray = await runCli(["studio", "a", "fox"]);
    assert.equal(stray.code, 2);
    assert.match(stray.stderr, /studio takes flags only/);
  });

  test("prints exactly the page's URL, opens it with $BROWSER, and keeps its library under the home folder by default", async (t) => {
    const home = makeTempHome();
    const browser = fakeBrowser();
    const studio = await startServe(["--backend", "mock"], { door: "studio", home, env: { BROWSER: browser.command } });
    t.after(() => studio.stop());
    assert.match(studio.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(await browser.untilOpened(), studio.url);
    assert.ok(existsSync(join(home.home, "codex-imagen-output", "studio", "images")), "the default library is ~/codex-imagen-output/studio");
    const page = await fetch(studio.url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'self';/);
    assert.doesNotMatch(page.headers.get("content-security-policy") ?? "", /unsafe-inline|unsafe-eval/);
  });

  test("a browser that cannot start is a note on stderr, not a failure; --no-open starts none", async (t) => {
    const failing = fakeBrowser(3);
    const studio = await startServe(["--backend", "mock"], { door: "studio", env: { BROWSER: failing.command } });
    t.after(() => studio.stop());
    await studio.waitForLog(/Could not open a browser \(.* exited with 3\); open http:\/\/127\.0\.0\.1:\d+\/ yourself\./);
    assert.equal((await fetch(studio.url)).status, 200);

    const unused = fakeBrowser();
    const quiet = await startServe(["--backend", "mock", "--no-open"], { door: "studio", env: { BROWSER: unused.command } });
    t.after(() => quiet.stop());
    assert.equal((await fetch(quiet.url)).status, 200);
    await quiet.stop();
    assert.equal(unused.opened(), undefined);
  });

  test("the default port taken: another port, said on stderr; a port given with --port and taken: an error naming it", async (t) => {
    const holder = await listenOn(DEFAULT_PORT);
    t.after(() => holder?.close());
    const studio = await startServe(["--backend", "mock", "--no-open"], { door: "studio", defaultPort: true });
    t.after(() => studio.stop());
    assert.notEqual(new URL(studio.url).port, String(DEFAULT_PORT));
    await studio.waitForLog(new RegExp(`Port ${DEFAULT_PORT} is in use; the studio listens on ${new URL(studio.url).port} instead\\.`));

    const taken = await runCli(["studio", "--backend", "mock", "--no-open", "--port", new URL(studio.url).port]);
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /the port is in use.*--port/);
  });

  test("with an API key the page's shell is public, but its API and files need the key", async (t) => {
    const key = "studio-key-for-tests";
    const studio = await startServe(["--backend", "mock", "--no-open", "--host", "0.0.0.0", "--api-key", key], { door: "studio" });
    t.after(() => studio.stop());
    const origin = `http://127.0.0.1:${new URL(studio.url).port}`;
    const page = await fetch(`${origin}/`);
    assert.equal(page.status, 200);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
    assert.equal((await fetch(`${origin}${script}`)).status, 200);
    assert.equal((await fetch(`${origin}/studio/api/session`)).status, 401);
    const session = await fetch(`${origin}/studio/api/session`, { headers: { ...PAGE, authorization: `Bearer ${key}` } });
    assert.equal(session.status, 200);
    assert.equal(((await session.json()) as { needs_api_key: boolean }).needs_api_key, true);
    assert.equal((await fetch(`${origin}/studio/api/runs`)).status, 401);
    assert.equal(((await (await fetch(`${origin}/studio/api/access`)).json()) as { needs_api_key: boolean }).needs_api_key, true, "the page may ask whether to ask for the key");
    const run = await fetch(`${origin}/studio/api/runs`, { method: "POST", headers: { ...PAGE, authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify({ prompt: "a fox" }) });
    const path = /"path":"(images\/[^"]+)"/.exec(await run.text())?.[1];
    assert.ok(path !== undefined, "the run saved an image");
    assert.equal((await fetch(`${origin}/studio/files/${path}`)).status, 401, "an image needs the key");
    const image = await fetch(`${origin}/studio/files/${path}`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(image.status, 200);
    assert.equal(image.headers.get("content-type"), "image/png");
    assert.equal(image.headers.get("x-content-type-options"), "nosniff");
    assert.equal(image.headers.get("cross-origin-resource-policy"), "same-origin", "no page elsewhere may show it");
  });

  test("serves only the page's own assets and the library's images, inputs and thumbnails", async (t) => {
    const studio = await setupStudio(t, { args: ["--backend", "mock"] });
    const origin = studio.server.origin;
    writeFileSync(join(studio.libraryDir, "secret.png"), "not for the page");
    for (const path of [
      "/assets/nope.js",
      "/studio/files/library.jsonl",
      "/studio/files/secret.png",
      "/studio/files/images/..%2Flibrary.jsonl",
      "/studio/files/images/../library.jsonl",
      "/studio/files/trash/x.png",
      "/studio/files/%2Fetc%2Fpasswd",
      "/studio/files/images/%E0%A4%A",
    ]) {
      assert.equal((await fetch(`${origin}${path}`)).status, 404, path);
    }
  });

  test("the browser guard covers the studio: another origin, another Host and a form's body type are refused before any work", async (t) => {
    const studio = await setupStudio(t);
    const { origin } = studio.server;
    const port = new URL(origin).port;
    const run = Buffer.from(JSON.stringify({ prompt: "a page spends your quota" }));
    const refusals: Array<[number, Parameters<typeof rawRequest>[1]]> = [
      [403, { path: "/studio/api/runs", headers: { origin: "http://evil.example", "content-type": "application/json" }, body: run }],
      [403, { path: "/studio/api/inputs", headers: { origin: "http://evil.example", "content-type": "image/png" }, declaredLength: 10_000_000 }],
      [403, { method: "DELETE", path: "/studio/api/runs/run_1", headers: { origin: "null" } }],
      [421, { path: "/studio/api/runs", headers: { host: `evil.example:${port}`, "content-type": "application/json" }, body: run }],
      [421, { method: "GET", path: "/studio/files/images/x.png", headers: { host: `evil.example:${port}` } }],
      [421, { method: "GET", path: "/", headers: { host: `evil.example:${port}` } }],
      [415, { path: "/studio/api/runs", headers: { "content-type": "text/plain" }, body: run }],
      [415, { path: "/studio/api/inputs", headers: { "content-type": "multipart/form-data; boundary=x" }, declaredLength: 10_000_000 }],
      [415, { path: "/studio/api/inputs", headers: { ...PAGE, "content-type": "image/png" }, declaredLength: 10_000_000 }],
      // What an <img> or a link elsewhere can do: a GET with no Origin and no page header (the account route would refresh the login).
      [403, { method: "GET", path: "/studio/api/account" }],
      [403, { method: "GET", path: "/studio/api/runs?q=a" }],
    ];
    for (const [status, request] of refusals) {
      const answer = await rawRequest(origin, request);
      assert.equal(answer.status, status, `${request.method ?? "POST"} ${request.path} ${JSON.stringify(request.headers)}`);
      if (status === 403 && request.headers?.origin !== undefined) assert.match(answer.body, /The studio answers its own page only/, "a studio has no --cors to suggest");
    }
    assert.equal(studio.backend.requests.length, 0, "nothing reached the backend");
    assert.deepEqual(readdirSync(join(studio.libraryDir, "inputs")), [], "nothing was uploaded");
    const own = await rawRequest(origin, { method: "GET", path: "/studio/api/runs", headers: { ...PAGE, origin: `http://localhost:${port}` } });
    assert.equal(own.status, 200, "the page's own origin, by any loopback name, is served");
  });

  test("a wrong run request is a 400 naming the field to correct; nothing is run", async (t) => {
    const studio = await setupStudio(t);
    const post = (body: unknown) => fetch(`${studio.server.origin}/studio/api/runs`, { method: "POST", headers: { ...PAGE, "content-type": "application/json" }, body: JSON.stringify(body) });
    const badSize = await post({ prompt: "a fox", options: { size: "1000x1000" } });
    assert.equal(badSize.status, 400);
    const answer = (await badSize.json()) as { error: { message: string; param: string } };
    assert.equal(answer.error.param, "size");
    assert.match(answer.error.message, /multiples of 16/);
    const unknown = await post({ prompt: "a fox", colour: "red" });
    assert.equal(unknown.status, 400);
    assert.match(((await unknown.json()) as { error: { message: string } }).error.message, /unknown field "colour"/);
    const missing = await post({ prompt: "a fox", references: ["inputs/0000000000000000.png"] });
    assert.equal(missing.status, 400);
    assert.match(((await missing.json()) as { error: { message: string } }).error.message, /not in the library/);
    assert.equal(studio.backend.generations.length, 0);
  });

  test("the OpenAI Images API answers on the studio's server too, and SIGTERM exits 143", async (t) => {
    const studio = await setupStudio(t, { args: ["--backend", "mock"] });
    const answer = await fetch(`${studio.server.origin}/v1/images/generations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ prompt: "a fox", size: "256x256" }) });
    assert.equal(answer.status, 200);
    assert.equal(((await answer.json()) as { data: unknown[] }).data.length, 1);
    const exit = await studio.server.stop("SIGTERM");
    assert.equal(exit.code, 143);
  });
});
