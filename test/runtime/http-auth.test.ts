import { createHash, createHmac, createPublicKey, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect as connectTcp } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Policy } from '../../templates/runtime/rbac/policy-types.js';
import type { AppDefinition } from '../../templates/runtime/mcp/types.js';
import type { RunningHttpServer } from '../../templates/runtime/server/http-server.js';
import { startHttp } from '../../templates/runtime/server/main.js';
import { REPO } from '../support/generated-project.js';
import { appFromSpec } from '../support/in-process-app.js';
import { startRecordingUpstream } from '../support/recording-upstream.js';
import type { RecordingUpstream } from '../support/recording-upstream.js';
import { CLIENT_ID, CLIENT_SECRET, startTokenServer } from './support/token-server.js';
import type { TokenServer } from './support/token-server.js';

// Black-box checks of the resource server over HTTP (MCP authorization 2025-11-25), with a
// real JWKS server on 127.0.0.1 and tokens signed here. The oidc-provider end-to-end test
// repeats the essentials against a real authorization server.

const ISSUER = 'https://issuer.example.test';
const RESOURCE = 'http://127.0.0.1/mcp';
const kid = randomUUID();

let app: AppDefinition;
let privateKey: CryptoKey;
let publicJwk: JWK;
/** Keys published after start (rotation). */
const rotatedJwks: JWK[] = [];
let jwks: { server: Server; url: string; up: boolean; hits: number };
let upstream: RecordingUpstream;
let server: RunningHttpServer;
const logs: string[] = [];
let policy: Policy = () => ({ allow: true });

interface Claims {
  scope?: string;
  roles?: string[];
  aud?: string;
  iss?: string;
  exp?: number;
  nbf?: number;
}

function sign(claims: Claims = {}, key: CryptoKey = privateKey, header: Record<string, unknown> = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    scope: claims.scope ?? '',
    roles: claims.roles ?? [],
    client_id: 'test-client',
    ...(claims.nbf ? { nbf: claims.nbf } : {}),
  })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt', ...header })
    .setIssuer(claims.iss ?? ISSUER)
    .setAudience(claims.aud ?? RESOURCE)
    .setSubject('alice')
    .setIssuedAt(now - 5)
    .setExpirationTime(claims.exp ?? now + 300)
    .sign(key);
}

/** A JWS by hand, for what jose refuses to produce (alg none, HMAC keyed with the public key). */
function handMade(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  signature: (input: string) => string,
): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${signature(input)}`;
}

function claimsNow(extra: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: ISSUER,
    aud: RESOURCE,
    sub: 'mallory',
    iat: now,
    exp: now + 300,
    scope: 'pets:read pets:write pets:admin',
    ...extra,
  };
}

/** The server under test: OAuth against the local JWKS, calling the recording upstream. */
function oauthEnv(): Record<string, string> {
  return {
    MCP_AUTH: 'oauth',
    HOST: '127.0.0.1',
    PORT: '0',
    MCP_PUBLIC_URL: RESOURCE,
    OAUTH_ISSUER: ISSUER,
    OAUTH_JWKS_URI: jwks.url,
    UPSTREAM_BASE_URL: upstream.baseUrl,
  };
}

function post(body: unknown, headers: Record<string, string> = {}, url = server.url): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });
}

const list = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
const call = (name: string, args: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id: 2,
  method: 'tools/call',
  params: { name, arguments: args },
});
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function connect(token: string): Promise<Client> {
  const client = new Client(
    { name: 'auth-test', version: '1' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(server.url), { authProvider: { token: async () => token } }),
  );
  return client;
}

beforeAll(async () => {
  const built = await appFromSpec(join(REPO, 'fixtures/auth/pets-oauth.yaml'));
  // The hierarchy and roles the fixture's config file declares (the config is not read by appFromSpec).
  app = {
    ...built,
    tools: built.tools.map((t) => (t.name === 'deletePet' ? { ...t, access: { ...t.access, roles: ['vet'] } } : t)),
    authorization: {
      ...built.authorization,
      scopeImplies: { 'pets:admin': ['pets:read', 'pets:write'], 'pets:write': ['pets:read'] },
    },
  };
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' };
  jwks = { server: createServer(), url: '', up: true, hits: 0 };
  jwks.server.on('request', (_req, res) => {
    jwks.hits++;
    if (!jwks.up) return void res.writeHead(503).end();
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: [publicJwk, ...rotatedJwks] }));
  });
  await new Promise<void>((resolve) => jwks.server.listen(0, '127.0.0.1', resolve));
  const address = jwks.server.address();
  jwks.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/jwks`;
  upstream = await startRecordingUpstream();
  upstream.respond(() => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [] }) }));
  server = await startHttp(
    app,
    {
      ...oauthEnv(),
      OAUTH_ROLES_CLAIM: 'roles',
    },
    {
      log: (line) => logs.push(line),
      policy: (request) => policy(request),
      verifier: { jwksCooldownMs: 100, retryAfterMs: 100 },
    },
  );
});

afterAll(async () => {
  await server?.close();
  await upstream?.close();
  await new Promise<void>((resolve) => jwks?.server.close(() => resolve()));
});

describe('authentication: every bad credential is refused with 401 and a challenge', () => {
  const attacks: [string, () => Promise<Record<string, string>>, 'none' | 'invalid_token'][] = [
    ['no Authorization header', async () => ({}), 'none'],
    ['a token only in the query string', async () => ({}), 'none'],
    ['another auth scheme (Basic)', async () => ({ authorization: 'Basic YWxpY2U6cHc=' }), 'none'],
    ['an expired token', async () => bearer(await sign({ exp: Math.floor(Date.now() / 1000) - 600 })), 'invalid_token'],
    [
      'a token not yet valid',
      async () => bearer(await sign({ nbf: Math.floor(Date.now() / 1000) + 600 })),
      'invalid_token',
    ],
    [
      'a token from another issuer',
      async () => bearer(await sign({ iss: 'https://evil.example.test' })),
      'invalid_token',
    ],
    [
      'a genuine token for another resource (RFC 8707)',
      async () => bearer(await sign({ aud: 'http://127.0.0.1/other-mcp' })),
      'invalid_token',
    ],
    [
      'a token signed by a foreign key under the same kid',
      async () => bearer(await sign({}, (await generateKeyPair('RS256')).privateKey)),
      'invalid_token',
    ],
    ['alg none', async () => bearer(handMade({ alg: 'none', typ: 'at+jwt' }, claimsNow(), () => '')), 'invalid_token'],
    [
      'HS256 keyed with the public key (PEM)',
      async () => {
        const pem = createPublicKey({ key: publicJwk as never, format: 'jwk' })
          .export({ type: 'spki', format: 'pem' })
          .toString();
        return bearer(
          handMade({ alg: 'HS256', kid, typ: 'at+jwt' }, claimsNow(), (input) =>
            createHmac('sha256', pem).update(input).digest('base64url'),
          ),
        );
      },
      'invalid_token',
    ],
    [
      'HS256 keyed with the public JWK',
      async () =>
        bearer(
          handMade({ alg: 'HS256', kid }, claimsNow(), (input) =>
            createHmac('sha256', JSON.stringify(publicJwk)).update(input).digest('base64url'),
          ),
        ),
      'invalid_token',
    ],
    ['a malformed bearer token', async () => ({ authorization: 'Bearer not a token' }), 'invalid_token'],
    ['an empty bearer token', async () => ({ authorization: 'Bearer ' }), 'invalid_token'],
    ['garbage that is not a JWT', async () => bearer('abc.def.ghi'), 'invalid_token'],
    ['an oversized token', async () => bearer('a'.repeat(9000)), 'invalid_token'],
  ];

  it.each(attacks)('%s', async (name, headers, error) => {
    const url = name.includes('query')
      ? `${server.url}?access_token=${await sign({ scope: 'pets:read' })}`
      : server.url;
    const sent = await headers();
    const response = await post(list, sent, url);
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain('resource_metadata="http://127.0.0.1/.well-known/oauth-protected-resource/mcp"');
    if (error === 'none') expect(challenge).not.toContain('error=');
    else expect(challenge).toContain('error="invalid_token"');
    const token = sent.authorization?.replace(/^Bearer /, '');
    if (token && token.length > 8) {
      expect(challenge).not.toContain(token);
      expect(logs.join('\n')).not.toContain(token);
    }
  });

  it('answers on the MCP endpoint in JSON-RPC: the 401 body is a JSON-RPC error carrying the OAuth error', async () => {
    const response = await post(list, { authorization: 'Bearer not a token' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32001, data: { error: 'invalid_token' } },
    });
  });

  it('refuses two Authorization headers with 400 invalid_request, even when both carry good tokens (RFC 6750 §3.1)', async () => {
    const token = await sign({ scope: 'pets:read' });
    logs.length = 0;
    const { port } = new URL(server.url);
    const body = JSON.stringify(list);
    // fetch joins repeated headers into one; a raw request sends them as two fields, as an attacker would.
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connectTcp(Number(port), '127.0.0.1', () => {
        socket.end(
          [
            'POST /mcp HTTP/1.1',
            `Host: 127.0.0.1:${port}`,
            'Content-Type: application/json',
            'Accept: application/json, text/event-stream',
            `Authorization: Bearer ${token}`,
            `Authorization: Bearer ${token}`,
            `Content-Length: ${Buffer.byteLength(body)}`,
            'Connection: close',
            '',
            body,
          ].join('\r\n'),
        );
      });
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString('utf8')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toMatch(/www-authenticate: Bearer error="invalid_request"/i);
    expect(raw).not.toContain(token);
    const audit = logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'authorization');
    expect(audit).toEqual([
      expect.objectContaining({
        subject: 'anonymous',
        outcome: 'deny',
        reason: 'invalid request: more than one Authorization header',
      }),
    ]);
  });

  it('accepts a good token and lists only what it may call', async () => {
    const client = await connect(await sign({ scope: 'pets:read' }));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['getHealth', 'getPet', 'listPets']);
    expect(tools.find((t) => t.name === 'listPets')?._meta?.['openapi-to-mcp/scopes']).toEqual([['pets:read']]);
    await client.close();
  });
});

describe('per-tool authorization', () => {
  it('answers a call lacking scopes with 403 insufficient_scope naming what to ask for (step-up)', async () => {
    const response = await post(
      call('createPet', { body: { name: 'Rex' } }),
      bearer(await sign({ scope: 'pets:read' })),
    );
    expect(response.status).toBe(403);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="pets:write"');
    expect(challenge).toContain('resource_metadata="http://127.0.0.1/.well-known/oauth-protected-resource/mcp"');
  });

  it('honours the scope hierarchy: pets:write implies pets:read', async () => {
    const client = await connect(await sign({ scope: 'pets:write' }));
    upstream.requests.length = 0;
    const result = await client.callTool({ name: 'listPets', arguments: { limit: 5 } });
    expect(result.isError ?? false).toBe(false);
    expect(upstream.requests.map((r) => r.url)).toEqual(['/api/v1/pets?limit=5']);
    await client.close();
  });

  it('denies a role-restricted tool without the role: 403, no scope hint', async () => {
    const response = await post(
      call('deletePet', { petId: 'p1' }),
      bearer(await sign({ scope: 'pets:admin', roles: ['owner'] })),
    );
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect(await response.text()).toMatch(/requires one of the roles vet/);
  });

  it("lets the vet delete, and never sends the caller's token upstream", async () => {
    const token = await sign({ scope: 'pets:admin', roles: ['vet'] });
    const client = await connect(token);
    upstream.requests.length = 0;
    const result = await client.callTool({ name: 'deletePet', arguments: { petId: 'p1' } });
    expect(result.isError ?? false).toBe(false);
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]?.headers.authorization).toBeUndefined();
    expect(JSON.stringify(upstream.requests[0]?.headers)).not.toContain(token);
    await client.close();
  });

  it('asks the policy last and reports its reason with a 403 and no scope hint', async () => {
    policy = (request) =>
      request.tool.name === 'getPet' && request.arguments.petId === 'secret'
        ? { allow: false, reason: 'that pet is private' }
        : { allow: true };
    try {
      const token = await sign({ scope: 'pets:read' });
      const denied = await post(call('getPet', { petId: 'secret' }), bearer(token));
      expect(denied.status).toBe(403);
      expect(denied.headers.get('www-authenticate')).toBeNull();
      expect(await denied.text()).toContain('that pet is private');
      const client = await connect(token);
      expect((await client.callTool({ name: 'getPet', arguments: { petId: 'open' } })).isError ?? false).toBe(false);
      await client.close();
    } finally {
      policy = () => ({ allow: true });
    }
  });

  it('writes one audit line per decision, without tokens', async () => {
    logs.length = 0;
    const token = await sign({ scope: 'pets:read' });
    await post(call('createPet', { body: { name: 'x' } }), bearer(token));
    const audit = logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'authorization');
    expect(audit).toEqual([
      expect.objectContaining({
        subject: 'alice',
        client: 'test-client',
        tool: 'createPet',
        outcome: 'deny',
        transport: 'http',
      }),
    ]);
    expect(logs.join('\n')).not.toContain(token);
  });

  it('a batch with one denied call is refused whole, and nothing in it is audited as allowed', async () => {
    logs.length = 0;
    const response = await post(
      [call('listPets', {}), call('createPet', { body: { name: 'x' } })],
      bearer(await sign({ scope: 'pets:read' })),
    );
    expect(response.status).toBe(403);
    const audit = logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'authorization');
    expect(audit).toEqual([expect.objectContaining({ tool: 'createPet', outcome: 'deny' })]);
  });

  it('audits an allowed call once, where it executes', async () => {
    const client = await connect(await sign({ scope: 'pets:read' }));
    logs.length = 0;
    await client.callTool({ name: 'listPets', arguments: {} });
    await client.close();
    const audit = logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'authorization');
    expect(audit).toEqual([
      expect.objectContaining({
        subject: 'alice',
        client: 'test-client',
        tool: 'listPets',
        outcome: 'allow',
        reason: 'scopes granted',
        transport: 'http',
        remote: '127.0.0.1',
      }),
    ]);
  });

  it('refuses a batch of more than 100 messages whole: one audit line, no allow, nothing upstream', async () => {
    logs.length = 0;
    upstream.requests.length = 0;
    const batch = Array.from({ length: 101 }, (_, i) => ({ ...call('listPets', {}), id: i + 1 }));
    const response = await post(batch, bearer(await sign({ scope: 'pets:read' })));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } });
    const audit = logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'authorization');
    expect(audit).toEqual([
      expect.objectContaining({
        subject: 'alice',
        outcome: 'deny',
        reason: 'batch of 101 messages exceeds the limit of 100',
      }),
    ]);
    expect(upstream.requests).toHaveLength(0);
  });

  it('refuses a foreign Origin even with a valid token', async () => {
    const response = await post(list, {
      ...bearer(await sign({ scope: 'pets:read' })),
      origin: 'https://evil.example.test',
    });
    expect(response.status).toBe(403);
  });
});

describe('fail closed', () => {
  it('without its JWKS the server denies with 503, and recovers when the JWKS returns', async () => {
    // A key the server has not seen forces a JWKS fetch.
    const rotated = await generateKeyPair('RS256', { extractable: true });
    const newKid = randomUUID();
    const token = await new SignJWT({ scope: 'pets:read', client_id: 'c' })
      .setProtectedHeader({ alg: 'RS256', kid: newKid, typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(RESOURCE)
      .setSubject('alice')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(rotated.privateKey);
    jwks.up = false;
    const down = await post(list, bearer(token));
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    jwks.up = true;
    rotatedJwks.push({ ...(await exportJWK(rotated.publicKey)), kid: newKid, alg: 'RS256', use: 'sig' });
    // The cooldowns are shortened for this test (production: 30 s and 5 s); poll briefly.
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      status = (await post(list, bearer(token))).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  });
});

describe('MCP_AUTH=api-key', () => {
  let keyed: RunningHttpServer;
  const key = `k_${randomUUID()}${randomUUID()}`;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    const file = join(dir, 'keys.json');
    const sha256 = createHash('sha256').update(key).digest('hex');
    writeFileSync(
      file,
      JSON.stringify({ keys: [{ sha256, subject: 'ci-bot', roles: ['vet'], scopes: ['pets:read'] }] }),
    );
    keyed = await startHttp(
      app,
      {
        MCP_AUTH: 'api-key',
        MCP_API_KEYS_FILE: file,
        HOST: '127.0.0.1',
        PORT: '0',
        UPSTREAM_BASE_URL: upstream.baseUrl,
      },
      { log: (l) => logs.push(l) },
    );
  });
  afterAll(async () => keyed?.close());

  it('accepts the key (Bearer or X-API-Key) and applies its scopes', async () => {
    for (const headers of [bearer(key), { 'x-api-key': key }]) {
      const ok = await post(call('listPets', {}), headers, keyed.url);
      expect(ok.status).toBe(200);
      const denied = await post(call('createPet', { body: { name: 'x' } }), headers, keyed.url);
      expect(denied.status).toBe(403);
    }
  });

  it('refuses a wrong key and no key with 401', async () => {
    expect((await post(list, bearer(`${key}x`), keyed.url)).status).toBe(401);
    expect((await post(list, {}, keyed.url)).status).toBe(401);
    expect(logs.join('\n')).not.toContain(key);
  });
});

describe('opt-in RFC 8693 token exchange through the HTTP gate', () => {
  let exchanging: RunningHttpServer;
  let tokens: TokenServer;

  beforeAll(async () => {
    tokens = await startTokenServer();
    exchanging = await startHttp(
      app,
      {
        ...oauthEnv(),
        UPSTREAM_REGISTRY_AUTH_CLIENT_ID: CLIENT_ID,
        UPSTREAM_REGISTRY_AUTH_CLIENT_SECRET: CLIENT_SECRET,
        UPSTREAM_REGISTRY_AUTH_TOKEN_URL: `${tokens.origin}/token`,
        UPSTREAM_REGISTRY_AUTH_TOKEN_EXCHANGE: 'true',
        UPSTREAM_REGISTRY_AUTH_AUDIENCE: 'https://registry.example.com',
      },
      { log: (l) => logs.push(l), verifier: { jwksCooldownMs: 100, retryAfterMs: 100 } },
    );
  });
  afterAll(async () => {
    await exchanging?.close();
    await tokens?.close();
  });

  it("exchanges the caller's token at the token endpoint and sends only the exchanged one upstream", async () => {
    const token = await sign({ scope: 'pets:read' });
    const client = new Client({ name: 'exchange', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(exchanging.url), { authProvider: { token: async () => token } }),
    );
    upstream.requests.length = 0;
    const result = await client.callTool({ name: 'listPets', arguments: {} });
    await client.close();
    expect(result.isError ?? false).toBe(false);
    expect(tokens.calls).toHaveLength(1);
    expect(tokens.calls[0]?.form).toMatchObject({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: token,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      audience: 'https://registry.example.com',
    });
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]?.headers.authorization).toMatch(/^Bearer ex-\d+$/);
    expect(JSON.stringify(upstream.requests[0]?.headers)).not.toContain(token);
  });
});

describe('browser-based clients (CORS) from an allowed Origin', () => {
  it('answer the preflight without a token, and let the client read the challenge', async () => {
    const preflight = await fetch(server.url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:6274',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const challenged = await post(list, { origin: 'http://localhost:6274' });
    expect(challenged.status).toBe(401);
    expect(challenged.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
    expect(challenged.headers.get('access-control-expose-headers')).toContain('www-authenticate');
  });

  it('refuse the preflight from a foreign Origin', async () => {
    const preflight = await fetch(server.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.test', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});
