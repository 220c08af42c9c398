import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from '../config/config-error.js';
import { isLoopback } from '../config/loopback.js';

/**
 * Browser origins allowed to call the MCP endpoint, as full origins (RFC 6454 §6.2:
 * `scheme://host[:port]`), so `https://app.example.com` does not also let in
 * `http://app.example.com`, `https://app.example.com:8443` or `chrome-extension://app.example.com`.
 * An entry may end in `:*` for any port of that scheme and host (local development tools
 * such as the MCP Inspector run on a port of their own).
 * @see https://www.rfc-editor.org/rfc/rfc6454#section-6.2
 */
export interface AllowedOrigins {
  /** The entries as configured, normalized (`https://app.example.com`, `http://localhost:*`). */
  readonly entries: readonly string[];
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The default: the origin of the public URL, and loopback origins (any port, http or https)
 * only when the server itself listens on loopback; a server reachable from the network has no
 * business trusting pages served from whatever runs on each visitor's machine.
 */
export function defaultAllowedOrigins(publicUrl: URL, host: string): AllowedOrigins {
  const entries = new Set([publicUrl.origin]);
  if (isLoopback(host.replace(/^\[|\]$/g, ''))) {
    for (const scheme of ['http', 'https']) for (const name of LOOPBACK_HOSTS) entries.add(`${scheme}://${name}:*`);
  }
  return Object.freeze({ entries: Object.freeze([...entries]) });
}

/** MCP_ALLOWED_ORIGINS: full origins only; a bare host name (the old form) or `*` is refused, naming the form to use. */
export function parseAllowedOrigins(items: readonly string[], name = 'MCP_ALLOWED_ORIGINS'): AllowedOrigins {
  const entries = items.map((item) => {
    const wildcardPort = item.endsWith(':*');
    const serialized = serializeOrigin(wildcardPort ? item.slice(0, -2) : item);
    if (serialized === undefined) {
      throw new ConfigError(
        `${name} takes full origins such as https://app.example.com or http://localhost:* (scheme, host, and the port unless it is the scheme's default); got "${item}".`,
      );
    }
    if (wildcardPort && new URL(serialized).port !== '')
      throw new ConfigError(`${name}: "${item}" names both a port and a port wildcard; use one.`);
    return wildcardPort ? `${serialized}:*` : serialized;
  });
  return Object.freeze({ entries: Object.freeze([...new Set(entries)]) });
}

/**
 * `scheme://host[:port]` of an origin-shaped URL (no userinfo, path, query or fragment), with the
 * scheme and host lower-cased and a default port dropped; undefined when it is not one.
 */
export function serializeOrigin(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    (url.pathname !== '' && url.pathname !== '/') ||
    url.host === ''
  )
    return undefined;
  // `URL.origin` is "null" for non-special schemes (browser extensions), so build it from parts.
  return `${url.protocol}//${url.host}`;
}

/** Whether a request's `Origin` value is allowed: it must be a serialized origin, exactly as browsers send it. */
export function originAllowed(origin: string, allowed: AllowedOrigins): boolean {
  const serialized = serializeOrigin(origin);
  if (serialized === undefined || serialized !== origin) return false;
  if (allowed.entries.includes(serialized)) return true;
  const url = new URL(serialized);
  return allowed.entries.includes(`${url.protocol}//${url.hostname}:*`);
}

/**
 * MCP 2025-11-25 "Transports", Security Warning: servers MUST validate the Origin header of
 * incoming connections (DNS rebinding). Requests without an Origin (non-browser clients) pass;
 * any other value, `null` included, must be allowed. Answers 403 itself and returns false when not.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#security-warning
 */
export function createOriginCheck(allowed: AllowedOrigins): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const origin = req.headers.origin;
    if (origin === undefined || origin === '') return true;
    if (originAllowed(origin, allowed)) return true;
    res.writeHead(403, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        jsonrpc: '2.0',
        id: null,
        error: { code: -32000, message: 'Forbidden: this Origin is not allowed' },
      }),
    );
    return false;
  };
}
