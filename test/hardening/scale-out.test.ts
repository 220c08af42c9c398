import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthorizationServer, type AuthorizationServer } from '../support/authorization-server.js';
import { REPO } from '../support/generated-project.js';
import { buildGeneratedServer, freePort, startGeneratedServer, type LiveServer } from '../support/live-server.js';
import { connectWithOAuth } from '../support/oauth-client.js';
import { startRecordingUpstream, type RecordingUpstream } from '../support/recording-upstream.js';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy.js';

/**
 * Issue 9, "Scale-out": two replicas of one generated server (two processes, same environment,
 * same issuer) behind a round-robin proxy with no affinity serve one client session in both
 * protocol eras: list, call, step-up (403 insufficient_scope, then success with a wider token),
 * and each replica audits what it decided. Works because the server is stateless: no session
 * lives in one replica's memory.
 */

const SCOPES = ['pets:admin', 'pets:read', 'pets:write'];

let as: AuthorizationServer;
let upstream: RecordingUpstream;
let replicas: LiveServer[];
let proxy: RoundRobinProxy;
let mcpUrl: string;

beforeAll(async () => {
  const project = await buildGeneratedServer(join(REPO, 'fixtures/auth/pets-oauth.yaml'), 'hardening-scale-out');
  // The proxy's address is the servers' public URL (the token audience): it starts first.
  const backends: string[] = [];
  proxy = await startRoundRobinProxy(backends);
  mcpUrl = `${proxy.origin}/mcp`;
  as = await startAuthorizationServer({
    resources: { [mcpUrl]: { scopes: SCOPES } },
    defaultResource: mcpUrl,
    clients: [{ clientId: 'vet-service', roles: ['vet'] }],
    accounts: { alice: { roles: ['vet'] }, bob: { roles: ['owner'], grantableScopes: ['pets:read'] } },
    loginAccount: 'alice',
    rolesClaim: 'roles',
  });
  upstream = await startRecordingUpstream();
  upstream.respond(() => ({ headers: { 'content-type': 'application/json' }, body: '{"items":[]}' }));
  const env = {
    MCP_TRANSPORT: 'http',
    MCP_PUBLIC_URL: mcpUrl,
    OAUTH_ISSUER: as.issuer,
    UPSTREAM_BASE_URL: upstream.baseUrl,
  };
  replicas = await Promise.all(
    [0, 1].map(async () => startGeneratedServer(project, { ...env, PORT: String(await freePort()) })),
  );
  backends.push(...replicas.map((replica) => replica.origin));
});

afterAll(async () => {
  await proxy?.close();
  await Promise.all((replicas ?? []).map((replica) => replica.stop()));
  await as?.close();
  await upstream?.close();
});

/** Both replicas took part since `mark`: no affinity, each request alternated. */
function expectBothReplicasServedSince(mark: number): void {
  const routed = proxy.routed.slice(mark);
  expect(new Set(routed)).toEqual(new Set([0, 1]));
}

const auditLines = (replica: LiveServer) =>
  replica
    .stderr()
    .split('\n')
    .filter((line) => line.includes('"msg":"authorization"'));

describe.each([
  ['2026-07-28', '2026-07-28'],
  ['2025-11-25', undefined],
])('one client session across two replicas, protocol %s', (_era, protocolVersion) => {
  it('lists and calls through the OAuth flow', async () => {
    as.loginAs('alice');
    const mark = proxy.routed.length;
    const connection = await connectWithOAuth(mcpUrl, protocolVersion ? { protocolVersion } : {});
    try {
      for (let i = 0; i < 3; i++) {
        const { tools } = await connection.client.listTools();
        expect(tools.map((t) => t.name).sort()).toEqual(['createPet', 'deletePet', 'getHealth', 'getPet', 'listPets']);
        const result = await connection.client.callTool({ name: 'listPets', arguments: { limit: 2 } });
        expect(result.isError ?? false).toBe(false);
      }
    } finally {
      await connection.close();
    }
    expectBothReplicasServedSince(mark);
  });

  it('steps up on 403 insufficient_scope and succeeds, whichever replica answers', async () => {
    as.loginAs('bob');
    as.setAccount('bob', { roles: ['owner'], grantableScopes: ['pets:read'] });
    const mark = proxy.routed.length;
    const connection = await connectWithOAuth(mcpUrl, protocolVersion ? { protocolVersion } : {});
    try {
      expect(connection.provider.accessTokenClaims()?.scope).toBe('pets:read');
      as.setAccount('bob', { roles: ['owner'], grantableScopes: SCOPES });
      upstream.requests.length = 0;
      const result = await connection.authorized(() =>
        connection.client.callTool({ name: 'createPet', arguments: { body: { name: 'Rex', species: 'dog' } } }),
      );
      expect(result.isError ?? false).toBe(false);
      expect(connection.provider.authorizationRequests).toHaveLength(2);
      expect(connection.provider.authorizationRequests[1]?.scope?.split(' ')).toEqual(
        expect.arrayContaining(['pets:write']),
      );
      expect(upstream.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /api/v1/pets']);
      // The session goes on with the wider token on both replicas.
      for (let i = 0; i < 2; i++)
        expect((await connection.client.callTool({ name: 'listPets', arguments: {} })).isError ?? false).toBe(false);
    } finally {
      await connection.close();
      as.loginAs('alice');
    }
    expectBothReplicasServedSince(mark);
  });
});

describe('the 2025-11-25 SDK v1 client with a bearer token', () => {
  it('initializes on one replica and lists, calls and is refused by the scope on the other', async () => {
    const token = (await as.clientCredentialsToken({ clientId: 'vet-service', scope: 'pets:read', resource: mcpUrl }))
      .access_token;
    const mark = proxy.routed.length;
    const client = new ClientV1({ name: 'scale-out-v1', version: '0.0.0' });
    await client.connect(
      new TransportV1(new URL(mcpUrl), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
    );
    try {
      expect(client.getServerVersion()?.name).toBeDefined();
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('listPets');
      expect((await client.callTool({ name: 'listPets', arguments: { limit: 1 } })).isError ?? false).toBe(false);
      expect((await client.callTool({ name: 'getPet', arguments: { petId: 'p1' } })).isError ?? false).toBe(false);
      // pets:read does not reach createPet: the server answers 403 insufficient_scope, whichever replica it is.
      await expect(client.callTool({ name: 'createPet', arguments: { body: { name: 'x' } } })).rejects.toThrow(
        /403|insufficient_scope|Forbidden/i,
      );
    } finally {
      await client.close();
    }
    expectBothReplicasServedSince(mark);
  });
});

describe('audit', () => {
  it('every replica wrote audit lines for the decisions it made, without any token', () => {
    for (const replica of replicas) {
      const lines = auditLines(replica);
      expect(lines.some((line) => line.includes('"outcome":"allow"'))).toBe(true);
      expect(lines.some((line) => line.includes('"outcome":"deny"'))).toBe(true);
      expect(replica.stderr()).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/);
    }
  });
});
