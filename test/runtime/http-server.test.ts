import { request } from 'node:http';
import { join } from 'node:path';
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDefinition } from '../../templates/runtime/mcp/types.js';
import { ConfigError, loadConfig } from '../../templates/runtime/server/config.js';
import { createServerFactory } from '../../templates/runtime/server/create-server.js';
import { startHttpServer } from '../../templates/runtime/server/http-server.js';
import { startHttp } from '../../templates/runtime/server/main.js';
import type { RunningHttpServer } from '../../templates/runtime/server/http-server.js';
import { REPO } from '../support/generated-project.js';
import { appFromSpec } from '../support/in-process-app.js';
import { startRecordingUpstream } from '../support/recording-upstream.js';
import type { RecordingUpstream } from '../support/recording-upstream.js';

const BASE_ENV = { MCP_TRANSPORT: 'http', MCP_AUTH: 'none', HOST: '127.0.0.1', PORT: '0' };

let app: AppDefinition;
let upstream: RecordingUpstream;
let server: RunningHttpServer;
const logs: string[] = [];

beforeAll(async () => {
  app = await appFromSpec(join(REPO, 'fixtures/petstore-3.1.yaml'));
  upstream = await startRecordingUpstream();
  upstream.respond(() => ({
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items: [], next: null }),
  }));
  const env = { ...BASE_ENV, UPSTREAM_BASE_URL: upstream.baseUrl };
  const config = loadConfig(app, env);
  server = await startHttpServer(
    config,
    createServerFactory({
      app,
      upstream: { baseUrl: config.upstreamBaseUrl, timeoutMs: 5000, maxResponseBytes: 1 << 20, env },
    }),
    (l) => logs.push(l),
  );
});
afterAll(async () => {
  await server?.close();
  await upstream?.close();
});

describe('Streamable HTTP serving', () => {
  it('warns loudly that authorization is off', () => {
    expect(logs.join('\n')).toMatch(/MCP_AUTH=none: authorization is OFF/);
  });

  it.each([
    [
      'SDK v2 pinned to 2026-07-28',
      () => new ClientV2({ name: 'v2', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } }),
      '2026-07-28',
    ],
    ['SDK v2 with its default 2025 handshake', () => new ClientV2({ name: 'v2', version: '1' }), '2025-11-25'],
  ] as const)('serves a client on %s', async (_name, makeClient, version) => {
    const client = makeClient();
    await client.connect(new TransportV2(new URL(server.url)));
    expect(client.getNegotiatedProtocolVersion()).toBe(version);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['createPet', 'deletePet', 'listOwnerPets']);
    upstream.requests.length = 0;
    const result = await client.callTool({ name: 'listOwnerPets', arguments: { ownerId: 'a' } });
    expect(result.isError ?? false).toBe(false);
    expect(upstream.requests.map((r) => r.url)).toEqual(['/api/v1/owners/a/pets']);
    await client.close();
  });

  it('serves a 2025-era client built on SDK v1 (@modelcontextprotocol/sdk)', async () => {
    const client = new ClientV1({ name: 'v1', version: '1' });
    await client.connect(new TransportV1(new URL(server.url)));
    expect(client.getServerVersion()?.name).toBe('pet-clinic');
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(3);
    upstream.requests.length = 0;
    const result = await client.callTool({ name: 'listOwnerPets', arguments: { ownerId: 'b' } });
    expect(result.isError ?? false).toBe(false);
    expect(upstream.requests.map((r) => r.url)).toEqual(['/api/v1/owners/b/pets']);
    await client.close();
  });

  it('lists schemas with their $defs so circular references resolve inside each tool', async () => {
    const client = new ClientV2({ name: 'v2', version: '1' });
    await client.connect(new TransportV2(new URL(server.url)));
    const { tools } = await client.listTools();
    const create = tools.find((t) => t.name === 'createPet')!;
    expect(create.inputSchema.properties?.body).toEqual({ $ref: '#/$defs/NewPet' });
    // NewPet and Pet refer to each other: NewPet stays a definition; Pet, referred to once, is written in place.
    const defs =
      (create.inputSchema as { $defs?: Record<string, { properties?: Record<string, unknown> }> }).$defs ?? {};
    expect(Object.keys(defs)).toEqual(['NewPet']);
    expect(defs.NewPet?.properties?.parent).toEqual({
      allOf: [
        { $ref: '#/$defs/NewPet' },
        { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
      ],
    });
    await client.close();
  });

  it('rejects arguments that break the input schema before calling the API', async () => {
    const client = new ClientV2({ name: 'v2', version: '1' });
    await client.connect(new TransportV2(new URL(server.url)));
    upstream.requests.length = 0;
    const result = await client.callTool({ name: 'deletePet', arguments: { petId: 0 } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/Input validation error/);
    expect(upstream.requests).toHaveLength(0);
    await client.close();
  });

  it.each([
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['a foreign Host (DNS rebinding)', { host: 'evil.example' }],
    // Origins are whole origins: a loopback host name under another scheme is another origin.
    ['a loopback host name under a browser-extension scheme', { origin: 'chrome-extension://localhost' }],
    ['a loopback host name under ftp', { origin: 'ftp://127.0.0.1' }],
    ['no foreign header (control)', {}],
  ])('answers 403 (or 200 for the control) to %s', async (name, headers) => {
    // node:http, not fetch: fetch may not set Host.
    const status = await rawPost(server.url, {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    });
    expect(status).toBe(name.startsWith('no foreign') ? 200 : 403);
  });

  it('answers 404 outside the MCP path', async () => {
    expect((await fetch(new URL('/other', server.url))).status).toBe(404);
  });
});

describe('start-up configuration fails closed', () => {
  it.each([
    ['HTTP with the default MCP_AUTH=oauth and no issuer', { MCP_AUTH: undefined }, /OAUTH_ISSUER/],
    ['MCP_AUTH=api-key without a keys file', { MCP_AUTH: 'api-key' }, /MCP_API_KEYS_FILE/],
    [
      'an HMAC algorithm in OAUTH_ALGORITHMS',
      { MCP_AUTH: 'oauth', OAUTH_ISSUER: 'https://issuer.example.test', OAUTH_ALGORITHMS: 'RS256,HS256' },
      /HS256/,
    ],
    ['MCP_AUTH=none on a non-loopback address', { HOST: '0.0.0.0' }, /only binds to loopback/],
    [
      'HOST off loopback without MCP_PUBLIC_URL (it would advertise http://0.0.0.0:PORT/mcp)',
      { HOST: '0.0.0.0', MCP_AUTH: 'oauth', OAUTH_ISSUER: 'https://issuer.example.test' },
      /not loopback, and MCP_PUBLIC_URL is not set/,
    ],
    ['MCP_AUTH with an unknown value', { MCP_AUTH: 'maybe' }, /MCP_AUTH must be one of/],
    ['a non-http upstream', { UPSTREAM_BASE_URL: 'file:///etc/passwd' }, /UPSTREAM_BASE_URL must be an http/],
  ])('refuses %s', async (_name, overrides, message) => {
    const env = { ...BASE_ENV, UPSTREAM_BASE_URL: 'http://127.0.0.1:9/api', ...overrides };
    const start = async () => {
      const running = await startHttp(app, env, { log: () => {} });
      await running.close();
    };
    await expect(start()).rejects.toThrow(ConfigError);
    await expect(start()).rejects.toThrow(message);
  });

  it('requires UPSTREAM_BASE_URL when the spec has no absolute server URL', () => {
    const bare = { ...app, server: { name: 'x', version: '1' } };
    expect(() => loadConfig(bare, BASE_ENV)).toThrow(/UPSTREAM_BASE_URL is not set/);
  });
});

function rawPost(url: string, headers: Record<string, string>): Promise<number> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  });
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
