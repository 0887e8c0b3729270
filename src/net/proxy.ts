/** HTTPS_PROXY / HTTP_PROXY / NO_PROXY support; undici is loaded only when a proxy variable is set. */
import type { Dispatcher, fetch as undiciFetch, request as undiciRequest } from "undici";
import type { Env } from "../unset.js";

export interface ProxySettings {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
}

export interface ProxyClient {
  /** Sends each request through the proxy its URL needs, or directly when NO_PROXY matches. */
  dispatcher: Dispatcher;
  request: typeof undiciRequest;
  fetch: typeof undiciFetch;
}

type ProxyVariable = "http_proxy" | "https_proxy" | "no_proxy";

/**
 * The proxy variables in any case ("" when unset); the lowercase spelling wins, then the uppercase,
 * as in curl. Other spellings need a walk over the whole environment, made once: on `process.env`
 * each key is a call into Node, and three walks were a visible part of `--smoke`.
 */
function proxyVariables(env: Env): Record<ProxyVariable, string> {
  const found: Record<ProxyVariable, string> = { http_proxy: "", https_proxy: "", no_proxy: "" };
  const names = Object.keys(found) as ProxyVariable[];
  for (const name of names) found[name] = env[name] || env[name.toUpperCase()] || "";
  if (names.every((name) => found[name] !== "")) return found;
  for (const key of Object.keys(env)) {
    const name = key.toLowerCase() as ProxyVariable;
    const value = env[key];
    if (Object.hasOwn(found, name) && found[name] === "" && value) found[name] = value;
  }
  return found;
}

/** `proxy.corp:8080` means `http://proxy.corp:8080`, as curl reads it. */
function withScheme(proxy: string): string {
  return proxy === "" || /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

/** The proxy variables of `env`, or undefined when it sets no proxy. */
export function proxySettings(env: Env): ProxySettings | undefined {
  const variables = proxyVariables(env);
  const found = { httpProxy: withScheme(variables.http_proxy), httpsProxy: withScheme(variables.https_proxy), noProxy: variables.no_proxy };
  return found.httpProxy === "" && found.httpsProxy === "" ? undefined : found;
}

let settings: ProxySettings | undefined;
let client: Promise<ProxyClient> | undefined;

/** Routes later backend, token and reference requests through the proxies `env` names; returns what it found. */
export function useProxyFromEnv(env: Env): ProxySettings | undefined {
  settings = proxySettings(env);
  client = undefined;
  return settings;
}

/** The proxy client, built on first use; undefined (and undici never loaded) when no proxy is set. */
export function proxyClient(connectTimeoutMs: number): Promise<ProxyClient> | undefined {
  const current = settings;
  if (current === undefined) return undefined;
  client ??= import("undici").then((module) => {
    // The split build makes this CommonJS package a chunk of its own, whose import() yields only a default export.
    const loaded = module as typeof module | { default: typeof module };
    const undici = "EnvHttpProxyAgent" in loaded ? loaded : loaded.default;
    return {
      dispatcher: new undici.EnvHttpProxyAgent({
        // Empty strings, never undefined: undici would fall back to process.env itself.
        httpProxy: current.httpProxy,
        httpsProxy: current.httpsProxy,
        noProxy: current.noProxy,
        // Plain http URLs go to the proxy as absolute-URI requests, https ones through a CONNECT tunnel.
        proxyTunnel: false,
        connect: { timeout: connectTimeoutMs },
        proxyTls: { timeout: connectTimeoutMs },
      }),
      request: undici.request,
      fetch: undici.fetch,
    };
  });
  return client;
}
