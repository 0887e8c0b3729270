/** Huge or malicious reference images: each is a clear usage error (exit 2) in bounded time, and nothing is sent. */
import assert from "node:assert/strict";
import { closeSync, openSync, ftruncateSync, writeSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { assertUsageError, contentItems, requestBody, setupCli, type CliFixture } from "../support/cli-fixture.js";
import { startHostileServer, type HostileServer } from "../support/hostile-server.js";
import { dataUrl, tinyPng } from "../support/images.js";
import { REFUSED_PORT } from "../support/listen.js";

async function withServer(t: Parameters<typeof setupCli>[0]): Promise<{ f: CliFixture; server: HostileServer }> {
  const f = await setupCli(t);
  const server = await startHostileServer({ png: tinyPng("remote") });
  t.after(() => server.close());
  return { f, server };
}

const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><script>alert(1)</script></svg>';

/** name, the reference flags (given the hostile server's URL), what stderr must say. */
const refused: Array<[string, (url: string) => string[], RegExp]> = [
  ["a remote body that never ends", (url) => ["--image-url", `${url}/endless`], /more than 50 MB.*stopped/],
  ["a remote Content-Length over 50 MB", (url) => ["--input-ref", `${url}/huge.png`], /60\.0 MB.*limited to 50 MB/],
  ["an HTML page served as image/png", (url) => ["--image-url", `${url}/page.png`], /not a PNG, JPEG, GIF or WebP image/],
  ["a remote SVG", (url) => ["--input-ref", `${url}/logo.svg`], /served as image\/svg\+xml.*not a PNG, JPEG, GIF or WebP/],
  ["a remote 404", (url) => ["--image-url", `${url}/missing.png`], /HTTP 404/],
  ["a URL nobody listens on", () => ["--image-url", `http://127.0.0.1:${REFUSED_PORT}/closed.png`], /cannot download .*ECONNREFUSED/],
  ["an SVG data URL", () => ["--input-ref", `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`], /image\/svg\+xml/],
  ["a data URL that says PNG but holds HTML", () => ["--image-url", `data:image/png;base64,${Buffer.from("<html></html>").toString("base64")}`], /not a PNG, JPEG, GIF or WebP/],
];

describe("faults: reference images", { concurrency: 8 }, () => {
  for (const [name, args, message] of refused) {
    test(`${name}: usage error, nothing sent`, async (t) => {
      const { f, server } = await withServer(t);
      // Bounded by the run's kill timer; the message shows a check ended it, not the 30 s download timeout.
      const run = await f.run(["--json", "--debug", ...args(server.url), "--out-dir", f.outDir, "x"]);
      assert.equal(run.code, 2, run.stderr);
      assert.equal((run.json() as { error?: { code: string } }).error?.code, "usage");
      const errors = run.stderr.split(/\r?\n/).filter((line) => line.startsWith("error: "));
      assert.equal(errors.length, 1, run.stderr);
      assert.match(errors[0] ?? "", message);
      assert.equal(f.backend.generations.length, 0);
    });
  }

  test("a local file over 50 MB (sparse) is refused before it is read", async (t) => {
    const f = await setupCli(t);
    const big = join(f.home.home, "huge.png");
    const fd = openSync(big, "w");
    writeSync(fd, tinyPng());
    ftruncateSync(fd, 50 * 1024 * 1024 + 1);
    closeSync(fd);
    const run = await f.run(["-i", big, "--out-dir", f.outDir, "x"]);
    assertUsageError(run, /50\.0 MB.*limited to 50 MB/);
    assert.equal(f.backend.generations.length, 0);
  });

  test("a remote image is downloaded (following a redirect) and sent as a checked data URL", async (t) => {
    const { f, server } = await withServer(t);
    const run = await f.run(["--image-url", `${server.url}/redirect`, "--input-ref", `${server.url}/ref.png`, "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    const sent = contentItems(requestBody(f.backend)).filter((item) => item.type === "input_image").map((item) => item.image_url);
    assert.deepEqual(sent, [dataUrl("image/png", tinyPng("remote")), dataUrl("image/png", tinyPng("remote"))]);
    assert.deepEqual(server.hits, ["/redirect", "/ref.png", "/ref.png"]);
  });
});
