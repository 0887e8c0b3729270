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

/** A proxy variable in any case ("" when unset); the lowercase spelling wins, as in curl. */
function proxyVariable(env: Env, name: string): string {
  const lower = env[name.toLowerCase()];
  if (lower) return lower;
  const upper = env[name.toUpperCase()];
  if (upper) return upper;
  for (const [key, value] of Object.entries(env)) if (value && key.toLowerCase() === name) return value;
  return "";
}

/** `proxy.corp:8080` means `http://proxy.corp:8080`, as curl reads it. */
function withScheme(proxy: string): string {
  return proxy === "" || /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

/** The proxy variables of `env`, or undefined when it sets no proxy. */
export function proxySettings(env: Env): ProxySettings | undefined {
  const found = {
    httpProxy: withScheme(proxyVariable(env, "http_proxy")),
    httpsProxy: withScheme(proxyVariable(env, "https_proxy")),
    noProxy: proxyVariable(env, "no_proxy"),
  };
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
