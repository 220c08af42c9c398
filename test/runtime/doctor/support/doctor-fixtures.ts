import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppDefinition, ToolDefinition } from '../../../../templates/runtime/mcp/types.js';
import { json, type AuthServer } from '../../auth/support/auth-server.js';

export const PUBLIC_URL = 'https://mcp.example.com/mcp';
export const METADATA = '/.well-known/oauth-authorization-server';

const tool = (name: string, method: 'GET' | 'DELETE', access: ToolDefinition['access']): ToolDefinition => ({
  name,
  description: name,
  inputSchema: { type: 'object' },
  annotations: {},
  http: { method, path: '/pets', parameters: [] },
  security: [[{ scheme: 'apiKey', scopes: [] }]],
  access,
  tags: [],
  source: `#/paths/~1pets/${method.toLowerCase()}`,
});

/**
 * Two tools: one needs `pets:read`, the other `pets:write` and the role `admin`; the API takes an API key.
 * `rolesClaim` is the generated default roles claim; `''` for none.
 */
export function petsApp(baseUrl: string, rolesClaim = 'roles'): AppDefinition {
  return {
    server: { name: 'pets', version: '1.0.0', defaultBaseUrl: baseUrl },
    tools: [
      tool('listPets', 'GET', { scopes: [['pets:read']] }),
      tool('deletePet', 'DELETE', { scopes: [['pets:write']], roles: ['admin'] }),
    ],
    defs: {},
    schemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', env: 'PETS_API_KEY' } },
    authorization: {
      scopesSupported: ['pets:read', 'pets:write'],
      scopeImplies: { 'pets:write': ['pets:read'] },
      ...(rolesClaim ? { rolesClaim } : {}),
      toolsList: 'filter',
    },
  };
}

/** The metadata an MCP-ready authorization server serves, and its JWKS. */
export function serveIssuer(auth: AuthServer, keys: readonly unknown[], metadata: Record<string, unknown> = {}): void {
  auth.routes.clear();
  auth.routes.set(
    METADATA,
    json({
      issuer: auth.origin,
      jwks_uri: `${auth.origin}/jwks`,
      code_challenge_methods_supported: ['S256'],
      registration_endpoint: `${auth.origin}/register`,
      ...metadata,
    }),
  );
  auth.routes.set('/jwks', json({ keys }));
}

/** A stand-in upstream API on 127.0.0.1 that answers 404 to everything and records what it was sent. */
export async function startUpstream(): Promise<{
  origin: string;
  seen: { method: string; headers: Record<string, unknown> }[];
  stop(): Promise<void>;
}> {
  const seen: { method: string; headers: Record<string, unknown> }[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', headers: { ...req.headers } });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A loopback URL where nothing listens: a port just released. */
export async function closedOrigin(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
