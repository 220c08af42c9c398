import type { AppDefinition } from '../mcp/types.js';

import { ConfigError } from '../config/config-error.js';
import { readChoice, readInteger, readList, readText, type Env } from '../config/env-readers.js';
import { ENV_VARS } from '../config/env-table.js';
import { isLoopback } from '../config/loopback.js';
import type { HttpLimits } from './http-limits.js';
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

/** Reads and checks the environment once, at start-up: a bad configuration fails at once, not on the first request. */
export function loadConfig(app: AppDefinition, env: Env): RuntimeConfig {
  const transport = readChoice(env, 'MCP_TRANSPORT', app.server.defaultTransport);
  const host = readText(env, 'HOST') ?? ENV_VARS.HOST.default;
  const publicUrlRaw = readText(env, 'MCP_PUBLIC_URL');
  const explicitPublicUrl = publicUrlRaw ? url(publicUrlRaw, 'MCP_PUBLIC_URL') : undefined;
  // Without PORT, a loopback MCP_PUBLIC_URL with a port says where to listen; a public one sits behind a proxy.
  const impliedPort =
    explicitPublicUrl?.port && isLoopback(unbracket(explicitPublicUrl.hostname))
      ? Number(explicitPublicUrl.port)
      : app.server.defaultPort;
  const port = readInteger(env, 'PORT', impliedPort);
  const publicUrl =
    explicitPublicUrl ?? url(`http://${host.includes(':') ? `[${host}]` : host}:${port}/mcp`, 'MCP_PUBLIC_URL');
  const auth = readChoice(env, 'MCP_AUTH');
  const upstreamBaseUrl = readText(env, 'UPSTREAM_BASE_URL') ?? app.server.defaultBaseUrl;
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
  const headersTimeoutMs = readInteger(env, 'MCP_HEADERS_TIMEOUT_MS');
  const requestTimeoutMs = readInteger(
    env,
    'MCP_REQUEST_TIMEOUT_MS',
    Math.max(ENV_VARS.MCP_REQUEST_TIMEOUT_MS.default, headersTimeoutMs),
  );
  if (requestTimeoutMs < headersTimeoutMs) {
    throw new ConfigError(
      `MCP_REQUEST_TIMEOUT_MS (${requestTimeoutMs}) must be at least MCP_HEADERS_TIMEOUT_MS (${headersTimeoutMs}): the whole request includes its headers.`,
    );
  }
  const rolesClaim = readText(env, 'OAUTH_ROLES_CLAIM');
  const origins = readList(env, 'MCP_ALLOWED_ORIGINS');
  return Object.freeze({
    transport,
    host,
    port,
    publicUrl,
    auth,
    allowedHosts: readList(env, 'MCP_ALLOWED_HOSTS') ?? [
      ...new Set(['localhost', '127.0.0.1', '[::1]', publicUrl.hostname, host]),
    ],
    allowedOrigins: origins ? parseAllowedOrigins(origins) : defaultAllowedOrigins(publicUrl, host),
    httpLimits: Object.freeze({
      headersTimeoutMs,
      requestTimeoutMs,
      maxConnections: readInteger(env, 'MCP_MAX_CONNECTIONS'),
    }),
    warnings: Object.freeze(transport === 'http' ? publicUrlWarnings(publicUrl) : []),
    upstreamBaseUrl: base.href.replace(/\/+$/, ''),
    upstreamTimeoutMs: readInteger(env, 'UPSTREAM_TIMEOUT_MS'),
    upstreamMaxResponseBytes: readInteger(env, 'UPSTREAM_MAX_RESPONSE_BYTES'),
    maxRequestBodyBytes: readInteger(env, 'MCP_MAX_REQUEST_BYTES'),
    // Unset: the generated default applies, resolved where the tool set is built.
    ...(readText(env, 'MCP_TOOLS_LIST') ? { toolsList: readChoice(env, 'MCP_TOOLS_LIST') } : {}),
    ...(readText(env, 'MCP_TOOL_MODE') ? { toolMode: readChoice(env, 'MCP_TOOL_MODE') } : {}),
    ...(rolesClaim ? { rolesClaim } : {}),
    stdioRoles: readList(env, 'MCP_ROLES') ?? [],
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
