import type { AppDefinition } from '../mcp/types.js';

import { ConfigError } from '../config/config-error.js';
import { isLoopback } from '../config/loopback.js';
import type { HttpLimits } from './http-limits.js';
import { DEFAULT_HTTP_LIMITS } from './http-limits.js';
import type { AllowedOrigins } from './origin-check.js';
import { defaultAllowedOrigins, parseAllowedOrigins } from './origin-check.js';

export { ConfigError, isLoopback };

export interface RuntimeConfig {
  readonly transport: 'http' | 'stdio';
  readonly host: string;
  readonly port: number;
  /** The canonical URL of the MCP endpoint (MCP_PUBLIC_URL). */
  readonly publicUrl: URL;
  readonly auth: 'oauth' | 'api-key' | 'none';
  readonly allowedHosts: readonly string[];
  /** MCP_ALLOWED_ORIGINS (full origins); by default the public URL's origin, plus loopback origins on a loopback server. */
  readonly allowedOrigins: AllowedOrigins;
  /** MCP_HEADERS_TIMEOUT_MS, MCP_REQUEST_TIMEOUT_MS, MCP_MAX_CONNECTIONS. */
  readonly httpLimits: HttpLimits;
  /** Problems that do not stop the server but that the operator must hear about at start-up. */
  readonly warnings: readonly string[];
  readonly upstreamBaseUrl: string;
  readonly upstreamTimeoutMs: number;
  readonly upstreamMaxResponseBytes: number;
  readonly maxRequestBodyBytes: number;
  /** MCP_TOOLS_LIST: `filter` shows each caller only what it may call; unset means the generated default. */
  readonly toolsList?: 'filter' | 'all';
  /** MCP_TOOL_MODE: `static` lists every tool, `dynamic` three meta-tools; unset means the generated default. */
  readonly toolMode?: 'static' | 'dynamic';
  /** OAUTH_ROLES_CLAIM (preset or claim path); unset means the generated default. */
  readonly rolesClaim?: string;
  /** MCP_ROLES: over stdio, the roles of the local user, so role rules apply there too. */
  readonly stdioRoles: readonly string[];
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and checks the environment once, at start-up: a bad configuration fails at once, not on the first request. */
export function loadConfig(app: AppDefinition, env: Env): RuntimeConfig {
  const transport = oneOf(env, 'MCP_TRANSPORT', ['http', 'stdio'] as const, app.server.defaultTransport ?? 'http');
  const host = env.HOST?.trim() || '127.0.0.1';
  const explicitPublicUrl = env.MCP_PUBLIC_URL?.trim() ? url(env.MCP_PUBLIC_URL.trim(), 'MCP_PUBLIC_URL') : undefined;
  // Without PORT, a loopback MCP_PUBLIC_URL with a port says where to listen; a public one sits behind a proxy.
  const impliedPort =
    explicitPublicUrl?.port && isLoopback(unbracket(explicitPublicUrl.hostname))
      ? Number(explicitPublicUrl.port)
      : (app.server.defaultPort ?? 3000);
  const port = integer(env, 'PORT', impliedPort, 0, 65535);
  const publicUrl =
    explicitPublicUrl ?? url(`http://${host.includes(':') ? `[${host}]` : host}:${port}/mcp`, 'MCP_PUBLIC_URL');
  const auth = oneOf(env, 'MCP_AUTH', ['oauth', 'api-key', 'none'] as const, 'oauth');
  const upstreamBaseUrl = env.UPSTREAM_BASE_URL?.trim() || app.server.defaultBaseUrl;
  if (!upstreamBaseUrl) {
    throw new ConfigError(
      'UPSTREAM_BASE_URL is not set and the OpenAPI document names no absolute server URL. Set UPSTREAM_BASE_URL to the API base URL, e.g. https://api.example.com/v1.',
    );
  }
  const base = url(upstreamBaseUrl, 'UPSTREAM_BASE_URL');
  if (transport === 'http' && auth !== 'none' && !explicitPublicUrl && !isLoopback(unbracket(host))) {
    // The URL made up from a wildcard or LAN bind address is not one clients use, yet it would be the
    // token audience (RFC 8707) and the RFC 9728 `resource`: every token would fail the audience check.
    // (MCP_AUTH=none refuses a non-loopback HOST on its own, with its own message.)
    throw new ConfigError(
      `HOST is "${host}", not loopback, and MCP_PUBLIC_URL is not set. Set MCP_PUBLIC_URL to the URL clients use for the MCP endpoint (e.g. https://mcp.example.com/mcp): it is the token audience and the protected resource's identifier.`,
    );
  }
  const headersTimeoutMs = integer(env, 'MCP_HEADERS_TIMEOUT_MS', DEFAULT_HTTP_LIMITS.headersTimeoutMs, 100, 600_000);
  const requestTimeoutMs = integer(
    env,
    'MCP_REQUEST_TIMEOUT_MS',
    Math.max(DEFAULT_HTTP_LIMITS.requestTimeoutMs, headersTimeoutMs),
    100,
    3_600_000,
  );
  if (requestTimeoutMs < headersTimeoutMs) {
    throw new ConfigError(
      `MCP_REQUEST_TIMEOUT_MS (${requestTimeoutMs}) must be at least MCP_HEADERS_TIMEOUT_MS (${headersTimeoutMs}): the whole request includes its headers.`,
    );
  }
  const origins = list(env.MCP_ALLOWED_ORIGINS);
  return Object.freeze({
    transport,
    host,
    port,
    publicUrl,
    auth,
    allowedHosts: list(env.MCP_ALLOWED_HOSTS) ?? [
      ...new Set(['localhost', '127.0.0.1', '[::1]', publicUrl.hostname, host]),
    ],
    allowedOrigins: origins ? parseAllowedOrigins(origins) : defaultAllowedOrigins(publicUrl, host),
    httpLimits: Object.freeze({
      headersTimeoutMs,
      requestTimeoutMs,
      maxConnections: integer(env, 'MCP_MAX_CONNECTIONS', DEFAULT_HTTP_LIMITS.maxConnections, 1, 1_000_000),
    }),
    warnings: Object.freeze(transport === 'http' ? publicUrlWarnings(publicUrl) : []),
    upstreamBaseUrl: base.href.replace(/\/+$/, ''),
    upstreamTimeoutMs: integer(env, 'UPSTREAM_TIMEOUT_MS', 30_000, 1, 600_000),
    upstreamMaxResponseBytes: integer(env, 'UPSTREAM_MAX_RESPONSE_BYTES', 5 * 1024 * 1024, 1024, 512 * 1024 * 1024),
    maxRequestBodyBytes: integer(env, 'MCP_MAX_REQUEST_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    ...(env.MCP_TOOLS_LIST?.trim()
      ? { toolsList: oneOf(env, 'MCP_TOOLS_LIST', ['filter', 'all'] as const, 'filter') }
      : {}),
    ...(env.MCP_TOOL_MODE?.trim()
      ? { toolMode: oneOf(env, 'MCP_TOOL_MODE', ['static', 'dynamic'] as const, 'static') }
      : {}),
    ...(env.OAUTH_ROLES_CLAIM?.trim() ? { rolesClaim: env.OAUTH_ROLES_CLAIM.trim() } : {}),
    stdioRoles: list(env.MCP_ROLES) ?? [],
  });
}

/**
 * RFC 6750 §5.3: bearer tokens must only travel over TLS. A plain http public URL is fine on
 * loopback (local development); anywhere else it sends every token in clear text.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-5.3
 */
function publicUrlWarnings(publicUrl: URL): string[] {
  if (publicUrl.protocol !== 'http:' || isLoopback(unbracket(publicUrl.hostname))) return [];
  return [
    `MCP_PUBLIC_URL ${publicUrl.href} is plain http on a non-loopback host: bearer tokens would cross the network unencrypted (RFC 6750 §5.3). Serve it over https, e.g. with TLS at a reverse proxy, and set MCP_PUBLIC_URL to the https URL.`,
  ];
}

function unbracket(host: string): string {
  return host.replace(/^\[|\]$/g, '');
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if ((values as readonly string[]).includes(raw)) return raw as T;
  throw new ConfigError(`${name} must be one of ${values.join(', ')} (got "${raw}").`);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
  }
  return value;
}

function url(raw: string, name: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL (got "${raw}").`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http(s) URL (got "${raw}").`);
  }
  if (parsed.username || parsed.password) throw new ConfigError(`${name} must not carry credentials in the URL.`);
  return parsed;
}

function list(raw: string | undefined): string[] | undefined {
  const items = raw
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items && items.length > 0 ? items : undefined;
}
