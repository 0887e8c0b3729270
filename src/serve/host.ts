/** The `Host` a client addressed this server by: a plain name or IP literal and an optional port, nothing else. */

// No user info, path or spaces: anything but host[:port] is not a name this server can be reached by.
const HOST = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/;

export interface HostHeader {
  /** Lower case; IPv6 literals keep their brackets. */
  hostname: string;
  /** The port given, else HTTP's 80. */
  port: number;
  /** `hostname[:port]` as sent, lower case. */
  host: string;
}

export function parseHost(header: string | undefined): HostHeader | undefined {
  const match = HOST.exec(header ?? "");
  if (match === null) return undefined;
  const host = (header as string).toLowerCase();
  return { hostname: (match[1] as string).toLowerCase(), port: match[2] === undefined ? 80 : Number(match[2]), host };
}

/** The origin the client reached us by (for links it can follow), when its Host header is a plain host[:port]. */
export function requestOrigin(header: string | undefined, fallback: string): string {
  const parsed = parseHost(header);
  return parsed === undefined ? fallback : `http://${parsed.host}`;
}
