import assert from "node:assert/strict";
import { once } from "node:events";
import test from "node:test";
import { parseServeArgs } from "../../src/serve/args.js";
import { createLog } from "../../src/serve/log.js";
import { startServer } from "../../src/serve/server.js";
import { ACCOUNT_ID } from "../support/cli-fixture.js";
import { startFakeBackend } from "../support/fake-backend.js";
import { makeTempHome } from "../support/run-cli.js";
import { makeJwt, writeCodexAuth } from "../support/tokens.js";

test("past the shutdown grace period, running requests are aborted upstream and answered 503", async (t) => {
  const backend = await startFakeBackend({ oauth: { accountId: ACCOUNT_ID } });
  t.after(() => backend.close());
  const home = makeTempHome();
  const authFile = writeCodexAuth(home.codexHome, { access: makeJwt({ expSeconds: 3600, accountId: ACCOUNT_ID }), refresh: "rt_unused", accountId: ACCOUNT_ID });
  const command = parseServeArgs(["--port", "0", "--base-url", backend.baseUrl, "--auth", authFile, "--retries", "0"], { env: {}, cwd: home.home, homeDir: home.home });
  assert.equal(command.kind, "serve");
  const lines: string[] = [];
  const server = await startServer(command.config, createLog(false, (line) => lines.push(line)));
  backend.enqueue({ kind: "stall" });

  const answer = fetch(`${server.url}/images/generations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ prompt: "never finishes" }) });
  await once(backend.events, "generation");
  const closedUpstream = once(backend.events, "closed-early");
  const closing = server.close(50);
  const response = await answer;
  assert.equal(response.status, 503);
  assert.match(((await response.json()) as { error: { message: string } }).error.message, /shutting down/);
  await closedUpstream;
  await closing;
  await assert.rejects(fetch(`${server.url}/models`), "the server still accepts connections");
});
