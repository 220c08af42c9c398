import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDefinition } from '../../templates/runtime/mcp/types.js';
import { upstreamRedactor } from '../../templates/runtime/http/upstream-redactor.js';
import { createRuntime, startHttp } from '../../templates/runtime/server/main.js';
import { SPECS } from '../support/generated-project.js';
import { appFromSpec } from '../support/in-process-app.js';
import { startRecordingUpstream } from '../support/recording-upstream.js';
import type { RecordingUpstream } from '../support/recording-upstream.js';

// Real specs whose upstream API keys travel in the query string (gotify) and in a cookie
// (overseerr): the server's own key reaches the API where the spec says, and the MCP caller's
// token never does (MCP authorization 2025-11-25 "Token Passthrough").

const ISSUER = 'https://issuer.example.test';
const RESOURCE = 'http://127.0.0.1/mcp';
const kid = randomUUID();
let sign: () => Promise<string>;
let jwk: string;
let upstream: RecordingUpstream;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  jwk = JSON.stringify({ ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256' });
  sign = () =>
    new SignJWT({ scope: '', client_id: 'agent' })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(RESOURCE)
      .setSubject('alice')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(pair.privateKey);
  upstream = await startRecordingUpstream();
  upstream.respond(() => ({ headers: { 'content-type': 'application/json' }, body: '[]' }));
});
afterAll(async () => upstream?.close());

async function callThrough(
  app: AppDefinition,
  toolPath: string,
  credentials: Record<string, string>,
  log: (line: string) => void = () => {},
) {
  const tool = app.tools.find((t) => t.http.method === 'GET' && t.http.path === toolPath);
  if (!tool) throw new Error(`no GET ${toolPath}`);
  const server = await startHttp(
    app,
    {
      MCP_AUTH: 'oauth',
      HOST: '127.0.0.1',
      PORT: '0',
      MCP_PUBLIC_URL: RESOURCE,
      OAUTH_ISSUER: ISSUER,
      OAUTH_PUBLIC_KEY: jwk,
      UPSTREAM_BASE_URL: upstream.baseUrl,
      ...credentials,
    },
    { log },
  );
  const token = await sign();
  const client = new Client({ name: 'creds', version: '1' });
  try {
    await client.connect(
      new StreamableHTTPClientTransport(new URL(server.url), { authProvider: { token: async () => token } }),
    );
    upstream.requests.length = 0;
    const result = await client.callTool({ name: tool.name, arguments: {} });
    expect(upstream.requests).toHaveLength(1);
    const request = upstream.requests[0]!;
    expect(JSON.stringify(request.headers)).not.toContain(token);
    expect(request.url).not.toContain(token);
    return { result, request };
  } finally {
    await client.close();
    await server.close();
  }
}

describe('upstream credentials from real specs, never the caller token', () => {
  it('gotify-server: the client token as the `token` query parameter', async () => {
    const app = await appFromSpec(join(SPECS, 'gotify-server.json'));
    const { request } = await callThrough(app, '/application', { UPSTREAM_CLIENT_TOKEN_QUERY: 'gotify key/1' });
    expect(request.url).toBe('/api/v1/application?token=gotify%20key%2F1');
    expect(request.headers.authorization).toBeUndefined();
  });

  it('gotify-server: the header alternative when its variable is the one set', async () => {
    const app = await appFromSpec(join(SPECS, 'gotify-server.json'));
    const { request } = await callThrough(app, '/application', { UPSTREAM_CLIENT_TOKEN_HEADER: 'Ckey' });
    expect(request.headers['x-gotify-key']).toBe('Ckey');
    expect(request.url).toBe('/api/v1/application');
  });

  it('gotify-server: an upstream that echoes its request does not hand the query key to the caller or the log', async () => {
    const app = await appFromSpec(join(SPECS, 'gotify-server.json'));
    upstream.respond((req) => ({
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: `bad request ${req.url}` }),
    }));
    const lines: string[] = [];
    try {
      const { result, request } = await callThrough(
        app,
        '/application',
        { UPSTREAM_CLIENT_TOKEN_QUERY: 'gotify key/1' },
        (line) => lines.push(line),
      );
      expect(request.url).toBe('/api/v1/application?token=gotify%20key%2F1');
      expect(JSON.stringify(result)).toContain('bad request /api/v1/application?token=[redacted]');
      expect(JSON.stringify([result, lines])).not.toMatch(/gotify(%20| )key/);
    } finally {
      upstream.respond(() => ({ headers: { 'content-type': 'application/json' }, body: '[]' }));
    }
  });

  it('gotify-server: the operator log of the runtime redacts the upstream key, and shares tokens with the upstream caller', async () => {
    const app = await appFromSpec(join(SPECS, 'gotify-server.json'));
    const env = {
      MCP_TRANSPORT: 'stdio',
      UPSTREAM_BASE_URL: upstream.baseUrl,
      UPSTREAM_CLIENT_TOKEN_QUERY: 'gotify key/1',
    };
    const lines: string[] = [];
    const runtime = await createRuntime(app, env, { log: (line) => lines.push(line) });
    upstreamRedactor(app.schemes, env).addToken('token-obtained-later');
    runtime.log('{"msg":"gotify key/1 gotify%20key%2F1 token-obtained-later"}');
    expect(lines).toEqual(['{"msg":"[redacted] [redacted] [redacted]"}']);
  });

  it('overseerr-api: the session cookie connect.sid', async () => {
    const app = await appFromSpec(join(SPECS, 'overseerr-api.yaml'));
    const { request } = await callThrough(app, '/settings/main', { UPSTREAM_COOKIE_AUTH: 's:abc def' });
    // RFC 6265 §4.1.1: ':' is a cookie-octet and stays; the space does not.
    expect(request.headers.cookie).toBe('connect.sid=s:abc%20def');
    expect(request.headers.authorization).toBeUndefined();
  });
});
