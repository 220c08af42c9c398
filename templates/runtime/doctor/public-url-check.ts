import { readText } from '../config/env-readers.js';
import { ENV_VARS } from '../config/env-table.js';
import { isLoopback } from '../config/loopback.js';
import type { AppDefinition } from '../mcp/types.js';
import { fail, ok, warn, type DoctorCheck } from './check.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface PublicUrlResult {
  readonly check: DoctorCheck;
  /** The URL the server will use as its resource identifier; absent over stdio or when it cannot be parsed. */
  readonly publicUrl?: URL;
}

const ID = 'public-url';
const EXAMPLE = 'e.g. https://mcp.example.com/mcp';

/**
 * Whether MCP_PUBLIC_URL can be this server's resource identifier: clients
 * reach the MCP endpoint there, tokens carry it as `aud` (RFC 8707) and the
 * protected resource metadata names it as `resource` (RFC 9728 §3). Off
 * loopback it must be set, https, without query or fragment (RFC 8707 §2),
 * and its path is where the endpoint is served. Does not contact the URL.
 */
export function checkPublicUrl(app: AppDefinition, env: Env): PublicUrlResult {
  const transport = readText(env, 'MCP_TRANSPORT') ?? app.server.defaultTransport ?? ENV_VARS.MCP_TRANSPORT.default;
  if (transport === 'stdio') return { check: ok(ID, 'MCP_TRANSPORT=stdio: no HTTP endpoint, nothing to check') };
  const host = readText(env, 'HOST') ?? ENV_VARS.HOST.default;
  const hostIsLoopback = isLoopback(bare(host));
  const raw = readText(env, 'MCP_PUBLIC_URL');
  if (!raw) {
    const port = readText(env, 'PORT') ?? String(app.server.defaultPort ?? ENV_VARS.PORT.default);
    const fallback = `http://${host.includes(':') ? `[${host}]` : host}:${port}/mcp`;
    if (!hostIsLoopback) {
      return {
        check: fail(
          ID,
          `MCP_PUBLIC_URL is not set while HOST=${host} listens off loopback: set MCP_PUBLIC_URL to the https URL clients use for the MCP endpoint (${EXAMPLE}); it is the audience tokens must carry`,
        ),
      };
    }
    if (!URL.canParse(fallback)) {
      return {
        check: fail(ID, `MCP_PUBLIC_URL is not set and the default ${fallback} is not a URL: fix HOST and PORT`),
      };
    }
    return {
      check: ok(
        ID,
        `MCP_PUBLIC_URL not set: ${fallback} (loopback, local use only); set it to the https URL clients use before deploying`,
      ),
      publicUrl: new URL(fallback),
    };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return {
      check: fail(
        ID,
        `MCP_PUBLIC_URL "${raw}" is not an absolute URL: set it to the https URL of the MCP endpoint (${EXAMPLE})`,
      ),
    };
  }
  const problem = urlProblem(url, raw, hostIsLoopback, host);
  if (problem) return { check: problem, publicUrl: url };
  if (url.pathname === '/') {
    return {
      check: warn(
        ID,
        `MCP_PUBLIC_URL ${url.href} puts the MCP endpoint at the root path; if clients are given .../mcp, add that path, since the endpoint is served exactly at the path of MCP_PUBLIC_URL`,
      ),
      publicUrl: url,
    };
  }
  return { check: ok(ID, `MCP_PUBLIC_URL ${url.href}: the MCP endpoint is served at ${url.pathname}`), publicUrl: url };
}

function urlProblem(url: URL, raw: string, hostIsLoopback: boolean, host: string): DoctorCheck | undefined {
  const shown = `MCP_PUBLIC_URL "${raw}"`;
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return fail(ID, `${shown} is not an http(s) URL: use https (${EXAMPLE})`);
  if (url.username || url.password) return fail(ID, `${shown} carries credentials: remove them`);
  const hostname = bare(url.hostname);
  if (hostname === '0.0.0.0' || hostname === '::') {
    return fail(
      ID,
      `${shown} names ${url.hostname}, a listening address, not one clients can reach: set the host name clients use (${EXAMPLE})`,
    );
  }
  const urlIsLoopback = isLoopback(hostname);
  // MCP authorization (2025-11-25) "Communication Security" and OAuth 2.1 §1.5: HTTPS except on loopback.
  if (url.protocol === 'http:' && !urlIsLoopback)
    return fail(ID, `${shown} uses plain http off loopback: use https (put TLS in front of the server)`);
  // RFC 8707 §2: a resource indicator "MUST NOT include a fragment component" and "SHOULD NOT include a query component".
  if (url.hash || raw.includes('#')) return fail(ID, `${shown} has a fragment: remove it (RFC 8707 §2)`);
  if (url.search || raw.includes('?'))
    return fail(ID, `${shown} has a query: remove it; the resource identifier is the plain endpoint URL (RFC 8707 §2)`);
  if (url.pathname === '/healthz' || url.pathname.startsWith('/.well-known/')) {
    return fail(
      ID,
      `${shown} uses the path ${url.pathname}, which the server keeps for itself: use the MCP endpoint's path, e.g. /mcp`,
    );
  }
  if (urlIsLoopback && !hostIsLoopback) {
    return warn(
      ID,
      `${shown} is a loopback URL while HOST=${host} listens off loopback: remote clients cannot use it; set the https URL they reach (${EXAMPLE})`,
    );
  }
  return undefined;
}

/** `[::1]` -> `::1`. */
function bare(host: string): string {
  return host.replace(/^\[|\]$/g, '');
}
