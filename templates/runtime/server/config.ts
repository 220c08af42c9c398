import type { AppDefinition } from '../mcp/types.js';

import { ConfigError } from '../config/config-error.js';
import { isLoopback } from '../config/loopback.js';

export { ConfigError, isLoopback };

export interface RuntimeConfig {
  readonly transport: 'http' | 'stdio';
  readonly host: string;
  readonly port: number;
  /** The canonical URL of the MCP endpoint (MCP_PUBLIC_URL). */
  readonly publicUrl: URL;
  readonly auth: 'oauth' | 'api-key' | 'none';
  readonly allowedHosts: readonly string[];
  readonly allowedOrigins: readonly string[];
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
    explicitPublicUrl?.port && isLoopback(explicitPublicUrl.hostname.replace(/^\[|\]$/g, ''))
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
  const publicHost = publicUrl.hostname.replace(/^\[|\]$/g, '');
  return Object.freeze({
    transport,
    host,
    port,
    publicUrl,
    auth,
    allowedHosts: list(env.MCP_ALLOWED_HOSTS) ?? [
      ...new Set(['localhost', '127.0.0.1', '[::1]', publicUrl.hostname, host]),
    ],
    allowedOrigins: list(env.MCP_ALLOWED_ORIGINS) ?? [...new Set(['localhost', '127.0.0.1', '[::1]', publicHost])],
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
