import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthorizationServer } from '../support/authorization-server.js';
import type { AuthorizationServer } from '../support/authorization-server.js';
import { generateProject, REPO, runInProject } from '../support/generated-project.js';
import { connectWithOAuth } from '../support/oauth-client.js';
import { startRecordingUpstream } from '../support/recording-upstream.js';
import type { RecordingUpstream } from '../support/recording-upstream.js';
import { freePort } from '../support/free-port.js';

/**
 * Issue "generated servers are OAuth 2.1 resource servers", done means: a generated server
 * started with only OAUTH_ISSUER, MCP_PUBLIC_URL and UPSTREAM_BASE_URL, black-box over HTTP,
 * against a running oidc-provider, driven by the SDK client's own OAuth flow.
 */

const SCOPES = ['pets:admin', 'pets:read', 'pets:write'];

let project: string;
let as: AuthorizationServer;
let other: AuthorizationServer;
let upstream: RecordingUpstream;
let server: ChildProcess;
let mcpUrl: string;
let stderr = '';
let early: { token: string } | undefined;

beforeAll(async () => {
  project = generateProject(join(REPO, 'fixtures/auth/pets-oauth.yaml'), 'authorization');
  const build = runInProject(project, 'tsc', ['-p', 'tsconfig.json']);
  if (build.status !== 0) throw new Error(`tsc failed:\n${build.stdout}${build.stderr}`);

  const port = await freePort();
  mcpUrl = `http://127.0.0.1:${port}/mcp`;
  as = await startAuthorizationServer({
    resources: { [mcpUrl]: { scopes: SCOPES }, 'http://127.0.0.1:1/elsewhere': { scopes: SCOPES } },
    defaultResource: mcpUrl,
    clients: [
      { clientId: 'owner-service', roles: ['owner'] },
      { clientId: 'vet-service', roles: ['vet'] },
    ],
    accounts: { alice: { roles: ['vet'] }, bob: { roles: ['owner'], grantableScopes: ['pets:read'] } },
    loginAccount: 'alice',
    rolesClaim: 'roles',
  });
  // A second, genuine authorization server issuing tokens for the same resource URL.
  other = await startAuthorizationServer({ resources: { [mcpUrl]: { scopes: SCOPES } }, defaultResource: mcpUrl });
  upstream = await startRecordingUpstream();
  upstream.respond(() => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [] }) }));

  // Obtained before the server ever talks to the issuer, for the outage test below.
  early = {
    token: (await as.clientCredentialsToken({ clientId: 'vet-service', scope: 'pets:read', resource: mcpUrl }))
      .access_token,
  };

  server = spawn(process.execPath, [join(project, 'dist/index.js')], {
    // Only these three (and PATH): the done-means of the issue.
    env: {
      PATH: process.env.PATH ?? '',
      OAUTH_ISSUER: as.issuer,
      MCP_PUBLIC_URL: mcpUrl,
      UPSTREAM_BASE_URL: upstream.baseUrl,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  server.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  await listening(server);
});

afterAll(async () => {
  server?.kill();
  await as?.close();
  await other?.close();
  await upstream?.close();
});

function post(body: unknown, headers: Record<string, string> = {}, url = mcpUrl): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });
}
const list = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
const call = (name: string, args: Record<string, unknown>) => ({
  jsonrpc: '2.0',
  id: 2,
  method: 'tools/call',
  params: { name, arguments: args },
});
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const serviceToken = async (clientId: string, scope: string, resource = mcpUrl) =>
  (await as.clientCredentialsToken({ clientId, scope, resource })).access_token;

describe('fail closed (first: the server has not reached the issuer yet)', () => {
  it('denies with 503 while the authorization server is down, and serves once it is back', async () => {
    await as.stop();
    const down = await post(list, bearer(early!.token));
    expect(down.status).toBe(503);
    await as.restart();
    let status = 0;
    // The server retries discovery at most every 5 s.
    for (let i = 0; i < 40 && status !== 200; i++) {
      status = (await post(list, bearer(early!.token))).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  });
});

describe('discovery (RFC 9728)', () => {
  it('answers without a token: 401, resource_metadata and the scopes', async () => {
    const response = await post(list);
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    const metadataUrl = new URL('/.well-known/oauth-protected-resource/mcp', mcpUrl).href;
    expect(challenge).toContain(`resource_metadata="${metadataUrl}"`);
    expect(challenge).toContain(`scope="${SCOPES.join(' ')}"`);
    expect(challenge).not.toContain('error=');
  });

  it.each(['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'])(
    'serves metadata at %s',
    async (path) => {
      const metadata = (await (await fetch(new URL(path, mcpUrl))).json()) as Record<string, unknown>;
      expect(metadata).toEqual({
        resource: mcpUrl,
        authorization_servers: [as.issuer],
        scopes_supported: SCOPES,
        bearer_methods_supported: ['header'],
        resource_name: 'Pet Registry',
      });
    },
  );
});

describe("the SDK client's OAuth flow", () => {
  it('discovers everything from the first 401 (metadata, AS, registration, PKCE, token) and calls a tool', async () => {
    as.loginAs('alice');
    const connection = await connectWithOAuth(mcpUrl, { protocolVersion: '2026-07-28' });
    try {
      const [request] = connection.provider.authorizationRequests;
      expect(request?.resource).toBe(mcpUrl);
      expect(connection.provider.accessTokenClaims()).toMatchObject({ aud: mcpUrl, iss: as.issuer, roles: ['vet'] });
      const { tools } = await connection.client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['createPet', 'deletePet', 'getHealth', 'getPet', 'listPets']);
      upstream.requests.length = 0;
      const result = await connection.client.callTool({ name: 'listPets', arguments: { limit: 3 } });
      expect(result.isError ?? false).toBe(false);
      expect(upstream.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/v1/pets?limit=3']);
      // No token passthrough: the API sees no Authorization header and nothing of the token.
      const token = connection.provider.tokens()?.access_token ?? '';
      expect(token.length).toBeGreaterThan(20);
      expect(upstream.requests[0]?.headers.authorization).toBeUndefined();
      expect(JSON.stringify(upstream.requests[0]?.headers)).not.toContain(token);
      expect(stderr).not.toContain(token);
    } finally {
      await connection.close();
    }
  });

  it('steps up on 403 insufficient_scope and succeeds', async () => {
    as.loginAs('bob');
    as.setAccount('bob', { roles: ['owner'], grantableScopes: ['pets:read'] });
    const connection = await connectWithOAuth(mcpUrl, { protocolVersion: '2026-07-28' });
    try {
      expect(connection.provider.accessTokenClaims()?.scope).toBe('pets:read');
      const { tools } = await connection.client.listTools();
      // tools/list shows bob only what pets:read allows.
      expect(tools.map((t) => t.name).sort()).toEqual(['getHealth', 'getPet', 'listPets']);
      as.setAccount('bob', { roles: ['owner'], grantableScopes: SCOPES });
      upstream.requests.length = 0;
      const result = await connection.authorized(() =>
        connection.client.callTool({ name: 'createPet', arguments: { body: { name: 'Rex', species: 'dog' } } }),
      );
      expect(result.isError ?? false).toBe(false);
      const requests = connection.provider.authorizationRequests;
      expect(requests).toHaveLength(2);
      expect(requests[1]?.scope?.split(' ')).toEqual(expect.arrayContaining(['pets:read', 'pets:write']));
      expect(upstream.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /api/v1/pets']);
    } finally {
      await connection.close();
      as.loginAs('alice');
    }
  });
});

describe('per-tool guards with real tokens', () => {
  it('403 insufficient_scope names the cheapest scopes for the caller', async () => {
    const response = await post(
      call('createPet', { body: { name: 'Rex' } }),
      bearer(await serviceToken('owner-service', 'pets:read')),
    );
    expect(response.status).toBe(403);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="pets:write"');
  });

  it('a role denial is 403 without a scope hint; the role holder gets through', async () => {
    const owner = await post(
      call('deletePet', { petId: 'p1' }),
      bearer(await serviceToken('owner-service', 'pets:admin')),
    );
    expect(owner.status).toBe(403);
    expect(owner.headers.get('www-authenticate')).toBeNull();
    const vet = await post(call('deletePet', { petId: 'p1' }), bearer(await serviceToken('vet-service', 'pets:admin')));
    expect(vet.status).toBe(200);
  });

  it('pets:admin implies pets:write and pets:read (config scope hierarchy)', async () => {
    const response = await post(call('listPets', {}), bearer(await serviceToken('vet-service', 'pets:admin')));
    expect(response.status).toBe(200);
  });

  it('audits each decision as one JSON line, with no token', async () => {
    const token = await serviceToken('owner-service', 'pets:read');
    await post(call('createPet', { body: { name: 'x' } }), bearer(token));
    const lines = stderr.split('\n').filter((l) => l.includes('"msg":"authorization"'));
    expect(
      lines.some(
        (l) =>
          l.includes('"client":"owner-service"') && l.includes('"tool":"createPet"') && l.includes('"outcome":"deny"'),
      ),
    ).toBe(true);
    expect(stderr).not.toContain(token);
  });
});

describe('attacks, each refused with 401 invalid_token (or no error for no credential)', () => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const claims = () => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: as.issuer,
      aud: mcpUrl,
      sub: 'mallory',
      client_id: 'x',
      scope: SCOPES.join(' '),
      iat: now,
      exp: now + 300,
    };
  };
  const rows: [string, () => Promise<Record<string, string>>, string | null][] = [
    [
      'a genuine token for another resource (RFC 8707)',
      async () => bearer(await serviceToken('vet-service', 'pets:read', 'http://127.0.0.1:1/elsewhere')),
      'invalid_token',
    ],
    [
      'a genuine token from another issuer',
      async () => bearer((await other.clientCredentialsToken({ scope: 'pets:read', resource: mcpUrl })).access_token),
      'invalid_token',
    ],
    ['alg none', async () => bearer(`${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(claims())}.`), 'invalid_token'],
    [
      'HS256 keyed with the issuer public JWK',
      async () => {
        const jwks = (await (await fetch(as.jwksUri)).json()) as { keys: { kid: string }[] };
        const key = jwks.keys[0]!;
        const input = `${b64({ alg: 'HS256', kid: key.kid, typ: 'at+jwt' })}.${b64(claims())}`;
        return bearer(`${input}.${createHmac('sha256', JSON.stringify(key)).update(input).digest('base64url')}`);
      },
      'invalid_token',
    ],
    [
      'a tampered payload',
      async () => {
        const [h, , s] = (await serviceToken('vet-service', 'pets:read')).split('.');
        return bearer(`${h}.${b64(claims())}.${s}`);
      },
      'invalid_token',
    ],
    ['a malformed header', async () => ({ authorization: 'Bearer a b c' }), 'invalid_token'],
    ['an oversized token', async () => bearer('x'.repeat(10_000)), 'invalid_token'],
    ['a token in the query string only', async () => ({}), null],
  ];

  it.each(rows)('%s', async (name, headers, error) => {
    const url = name.includes('query')
      ? `${mcpUrl}?access_token=${await serviceToken('vet-service', 'pets:read')}`
      : mcpUrl;
    const response = await post(list, await headers(), url);
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    if (error) expect(challenge).toContain(`error="${error}"`);
    else expect(challenge).not.toContain('error=');
  });

  it('a foreign Origin is refused even with a valid token', async () => {
    const response = await post(list, {
      ...bearer(await serviceToken('vet-service', 'pets:read')),
      origin: 'https://evil.example.test',
    });
    expect(response.status).toBe(403);
  });
});

describe('the generated project', () => {
  it('passes its own tests (401, metadata, step-up per tool, list filtering, role denial)', () => {
    const result = runInProject(project, 'vitest', ['run']);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/auth\.test\.ts/);
  });
});

function listening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 20_000);
    const check = () => {
      if (/"msg":"[^"]* listening"/.test(stderr)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stderr?.on('data', check);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${stderr}`)));
  });
}
