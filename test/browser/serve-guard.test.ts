/**
 * `codex-imagen serve`'s browser guard in a real browser (headless Chromium through playwright-core): a page on another
 * origin, and a page that rebinds its own name to 127.0.0.1, cannot make the server generate or read its answers;
 * a page served from the server's own origin can. Skipped when no Chromium is found, except under CI.
 */
import assert from "node:assert/strict";
import http from "node:http";
import { test, type TestContext } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../support/chromium.js";
import { listenLocal } from "../support/listen.js";
import { setupServe, type ServeFixture } from "../support/serve-fixture.js";

const REBOUND = "rebound.test";

/** What a hostile page tries, each attempt recorded in `window.attempts` as `name: outcome` once it settled. */
function attackerPage(api: string): string {
  return `<!doctype html><meta charset="utf-8"><title>a page</title>
<iframe name="sink"></iframe>
<form id="form" method="post" enctype="text/plain" target="sink" action="${api}/images/generations"><input name='{"prompt":"form","x":"' value='"}'></form>
<script>
const body = JSON.stringify({ prompt: "a page spends your quota" });
const outcome = (promise) => promise.then((answer) => answer.type === "opaque" ? "opaque" : String(answer.status), (error) => "error " + error.name);
window.attempts = Promise.all([
  outcome(fetch("${api}/images/generations", { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body })).then((r) => "simple text/plain: " + r),
  outcome(fetch("${api}/images/generations", { method: "POST", headers: { "content-type": "application/json" }, body })).then((r) => "json with preflight: " + r),
  outcome(fetch("${api}/images/edits", { method: "POST", mode: "no-cors", body: (() => { const form = new FormData(); form.append("prompt", "x"); form.append("image", new Blob(["x"], { type: "image/png" }), "a.png"); return form; })() })).then((r) => "multipart: " + r),
  outcome(fetch("${api}/models")).then((r) => "read models: " + r),
  new Promise((resolve) => { document.querySelector("iframe").onload = () => resolve("form post: loaded"); document.getElementById("form").submit(); }),
]);
</script>`;
}

async function attempts(page: Page): Promise<string[]> {
  return (await page.evaluate("window.attempts")) as string[];
}

function launch(t: TestContext, rules: string): Promise<Browser | undefined> {
  // Chromium's own Private Network Access checks would stop a public page first; without them it acts like the
  // browsers that have none, so what refuses the page here is the server's guard.
  const noPrivateNetworkChecks = "--disable-features=BlockInsecurePrivateNetworkRequests,LocalNetworkAccessChecks";
  return launchChromium(t, [`--host-resolver-rules=${rules}`, noPrivateNetworkChecks]);
}

/** Waits until the server logged `count` answers with `status`: proof the attempts reached it and it refused them itself. */
async function logged(f: ServeFixture, status: number, count: number): Promise<void> {
  const pattern = new RegExp(` ${status} images=0 `, "g");
  while ((f.server.stderr().match(pattern)?.length ?? 0) < count) await f.server.waitForLog(new RegExp(` ${status} images=0 `));
}

test("a page on another origin cannot make serve generate or read its answers; a rebound name is refused; the server's own origin works", { timeout: 120_000 }, async (t) => {
  const browser = await launch(t, `MAP ${REBOUND} 127.0.0.1`);
  if (browser === undefined) return;
  const f = await setupServe(t);
  const port = new URL(f.server.origin).port;

  // Another site: a page on another port of this machine.
  const site = await listenLocal(http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(attackerPage(f.server.url))));
  t.after(() => site.close());
  const foreign = await browser.newPage();
  await foreign.goto(site.url);
  assert.deepEqual((await attempts(foreign)).sort(), [
    "form post: loaded",
    "json with preflight: error TypeError",
    "multipart: opaque",
    "read models: error TypeError",
    "simple text/plain: opaque",
  ]);
  // Four requests and one preflight reached the server; each was refused as a foreign origin.
  await logged(f, 403, 5);

  // DNS rebinding: the attacker's page at rebound.test:<port>, whose name now points at 127.0.0.1; every request is same-origin.
  const rebound = await browser.newPage();
  const reboundOrigin = `http://${REBOUND}:${port}`;
  await rebound.route(`${reboundOrigin}/`, (route) => route.fulfill({ contentType: "text/html", body: attackerPage(`${reboundOrigin}/v1`) }));
  await rebound.goto(`${reboundOrigin}/`);
  const reboundAttempts = await attempts(rebound);
  assert.ok(reboundAttempts.includes("read models: 421"), `the rebound page reads only the refusal: ${reboundAttempts.join("; ")}`);
  assert.ok(reboundAttempts.includes("json with preflight: 421"), reboundAttempts.join("; "));
  assert.equal(f.backend.generations.length, 0, "a web page made the server generate");

  // The server's own origin (where the studio's page lives) is allowed: the same JSON request generates.
  const own = await browser.newPage();
  await own.route(`${f.server.origin}/page`, (route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><title>own page</title>" }));
  await own.goto(`${f.server.origin}/page`);
  const status = await own.evaluate(`fetch("/v1/images/generations", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ prompt: "from the server's own page" }) }).then((answer) => answer.status)`);
  assert.equal(status, 200);
  assert.equal(f.backend.generations.length, 1);
});
