import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import type { CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHttpServer } from '../../templates/runtime/server/http-server.js';
import { startHttp } from '../../templates/runtime/server/main.js';
import { REPO } from '../support/generated-project.js';
import { appFromSpec } from '../support/in-process-app.js';
import { startRecordingUpstream } from '../support/recording-upstream.js';
import type { RecordingUpstream } from '../support/recording-upstream.js';

// Dynamic mode under MCP_AUTH=oauth: the meta-tools reveal and run no more than static tools
// would. Tokens are signed here with jose; the server knows the key from OAUTH_PUBLIC_KEY.

const ISSUER = 'https://issuer.example.test';
const RESOURCE = 'http://127.0.0.1/mcp';
const kid = randomUUID();

let privateKey: CryptoKey;
let upstream: RecordingUpstream;
let server: RunningHttpServer;
const logs: string[] = [];

function sign(scope: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope, client_id: 'dynamic-client' })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience(RESOURCE)
    .setSubject('alice')
    .setIssuedAt(now - 5)
    .setExpirationTime(now + 300)
    .sign(privateKey);
}

function post(token: string, body: unknown): Promise<Response> {
  return fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify(body),
  });
}

const callTool = (name: string, args: Record<string, unknown>) => ({
  jsonrpc: '2.0',
  id: 7,
  method: 'tools/call',
  params: { name: 'call_tool', arguments: { name, arguments: args } },
});

async function connect(token: string): Promise<Client> {
  const client = new Client(
    { name: 'dynamic-auth-test', version: '1' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(server.url), { authProvider: { token: async () => token } }),
  );
  return client;
}

beforeAll(async () => {
  const app = { ...(await appFromSpec(join(REPO, 'fixtures/dynamic-tools.yaml'))), toolMode: 'dynamic' as const };
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  upstream = await startRecordingUpstream();
  upstream.respond(() => ({ status: 204 }));
  server = await startHttp(
    app,
    {
      MCP_AUTH: 'oauth',
      HOST: '127.0.0.1',
      PORT: '0',
      MCP_PUBLIC_URL: RESOURCE,
      OAUTH_ISSUER: ISSUER,
      OAUTH_PUBLIC_KEY: await exportSPKI(pair.publicKey),
      UPSTREAM_BASE_URL: upstream.baseUrl,
      UPSTREAM_OAUTH_ACCESS_TOKEN: 'upstream-secret',
    },
    { log: (line) => logs.push(line) },
  );
});

afterAll(async () => {
  await server?.close();
  await upstream?.close();
});

describe("dynamic mode respects the caller's scopes (MCP_AUTH=oauth)", () => {
  it('search and describe do not show a tool the caller lacks scopes for', async () => {
    const client = await connect(await sign('library:read'));
    const search = await client.callTool({ name: 'search_tools', arguments: { query: 'membership member remove' } });
    expect((search.structuredContent as { tools: { name: string }[] }).tools.map((t) => t.name)).not.toContain(
      'expelMember',
    );
    const readable = await client.callTool({ name: 'search_tools', arguments: { query: 'catalogue' } });
    expect((readable.structuredContent as { tools: { name: string }[] }).tools.map((t) => t.name)).toEqual([
      'listBooks',
    ]);
    const describe = await client.callTool({ name: 'describe_tool', arguments: { name: 'expelMember' } });
    expect(describe.isError).toBe(true);
    expect(JSON.stringify(describe.content)).toMatch(/Unknown tool/);
    await client.close();
  });

  it('shows the same tool to a caller holding its scope', async () => {
    const client = await connect(await sign('library:read library:admin'));
    const search = await client.callTool({ name: 'search_tools', arguments: { query: 'membership member remove' } });
    expect((search.structuredContent as { tools: { name: string }[] }).tools[0]?.name).toBe('expelMember');
    await client.close();
  });

  it("answers call_tool of that tool with 403 insufficient_scope naming the inner tool's scope (step-up), before the upstream", async () => {
    upstream.requests.length = 0;
    const response = await post(await sign('library:read'), callTool('expelMember', { memberId: 4 }));
    expect(response.status).toBe(403);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="library:admin"');
    // The body is a JSON-RPC error answering the request; the OAuth error rides in `error.data`.
    expect(await response.json()).toMatchObject({
      jsonrpc: '2.0',
      id: 7,
      error: { data: { error: 'insufficient_scope', error_description: 'expelMember needs scope library:admin' } },
    });
    expect(upstream.requests).toHaveLength(0);
    expect(logs.some((l) => l.includes('"tool":"expelMember"') && l.includes('"outcome":"deny"'))).toBe(true);
  });

  it('lets the same call through once the token carries the scope', async () => {
    upstream.requests.length = 0;
    const client = await connect(await sign('library:admin'));
    const result = await client.callTool({
      name: 'call_tool',
      arguments: { name: 'expelMember', arguments: { memberId: 4 } },
    });
    expect(result.isError ?? false).toBe(false);
    expect(upstream.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['DELETE /api/v1/members/4']);
    // No token passthrough: the upstream sees the server's own credential, never the caller's token.
    expect(upstream.requests[0]?.headers.authorization).toBe('Bearer upstream-secret');
    await client.close();
  });

  it('authorizes each call_tool of a JSON-RPC batch by its inner tool', async () => {
    upstream.requests.length = 0;
    const response = await post(await sign('library:read'), [
      callTool('listBooks', {}),
      callTool('lendBook', { isbn: '978-0441013593', body: { memberId: 1 } }),
    ]);
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain('scope="library:write"');
    expect(upstream.requests).toHaveLength(0);
  });
});
