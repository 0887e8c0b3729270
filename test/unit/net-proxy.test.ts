import assert from "node:assert/strict";
import test from "node:test";
import { proxySettings } from "../../src/net/proxy.js";

const cases: Array<{ name: string; env: Record<string, string | undefined>; expected: ReturnType<typeof proxySettings> }> = [
  { name: "no proxy variable: undefined", env: { PATH: "/bin", HOME: "/h" }, expected: undefined },
  { name: "NO_PROXY alone sets no proxy", env: { NO_PROXY: "localhost" }, expected: undefined },
  { name: "empty values count as unset", env: { HTTP_PROXY: "", https_proxy: "" }, expected: undefined },
  {
    name: "the lowercase spelling wins over the uppercase one",
    env: { http_proxy: "http://lower:1", HTTP_PROXY: "http://upper:1", HTTPS_PROXY: "http://upper:2", no_proxy: "a", NO_PROXY: "b" },
    expected: { httpProxy: "http://lower:1", httpsProxy: "http://upper:2", noProxy: "a" },
  },
  {
    name: "any other spelling is found too, and a bare host gets http://",
    env: { Https_Proxy: "proxy.corp:8080", No_Proxy: "example.com", constructor: "x", __PROTO__: "y" },
    expected: { httpProxy: "", httpsProxy: "http://proxy.corp:8080", noProxy: "example.com" },
  },
  {
    name: "an empty lowercase variable gives way to the uppercase one",
    env: { http_proxy: "", HTTP_PROXY: "http://upper:3" },
    expected: { httpProxy: "http://upper:3", httpsProxy: "", noProxy: "" },
  },
];

for (const { name, env, expected } of cases) {
  test(`proxy variables: ${name}`, () => {
    assert.deepEqual(proxySettings(env), expected);
  });
}
