import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Every wait below is for an event; a regression shows as a hang, so fail it fast.
vi.setConfig({ testTimeout: 15_000 });
import type { AppDefinition } from '../../templates/runtime/mcp/types.js';
import type { RunningHttpServer } from '../../templates/runtime/server/http-server.js';
import { startHttp } from '../../templates/runtime/server/main.js';
import { REPO } from '../support/generated-project.js';
import { appFromSpec } from '../support/in-process-app.js';
import { startRecordingUpstream } from '../support/recording-upstream.js';
import type { RecordingUpstream } from '../support/recording-upstream.js';
import { headerOf, openRaw, rawRequest, statusOf } from './support/raw-http.js';

// The HTTP layer under hostile clients (issue 9, item 6): malformed Host headers, JSON nested to
// overflow the stack, slow bodies, connection floods, and clients that ask to close. Requests
// go over raw sockets where no HTTP client would send them; every wait is for an event.

const KEY = `k_${randomUUID()}${randomUUID()}`;
const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

let app: AppDefinition;
let upstream: RecordingUpstream;
/** MCP_AUTH=api-key: requests pass the authorization gate, which reads the body itself. */
let keyed: RunningHttpServer;
/** MCP_AUTH=none with short timeouts: the SDK reads the body. */
let open: RunningHttpServer;
/** At most two connections. */
let capped: RunningHttpServer;
const logs: { keyed: string[]; open: string[]; capped: string[] } = { keyed: [], open: [], capped: [] };

beforeAll(async () => {
  app = await appFromSpec(join(REPO, 'fixtures/petstore-3.1.yaml'));
  upstream = await startRecordingUpstream();
  upstream.respond(() => ({ headers: { 'content-type': 'application/json' }, body: '[]' }));
  const dir = mkdtempSync(join(tmpdir(), 'keys-'));
  const file = join(dir, 'keys.json');
  writeFileSync(
    file,
    JSON.stringify({
      keys: [
        {
          sha256: createHash('sha256').update(KEY).digest('hex'),
          subject: 'ci-bot',
          scopes: ['pets:read', 'pets:write'],
        },
      ],
    }),
  );
  const base = { HOST: '127.0.0.1', PORT: '0', UPSTREAM_BASE_URL: upstream.baseUrl };
  keyed = await startHttp(
    app,
    { ...base, MCP_AUTH: 'api-key', MCP_API_KEYS_FILE: file },
    { log: (l) => logs.keyed.push(l) },
  );
  open = await startHttp(
    app,
    { ...base, MCP_AUTH: 'none', MCP_HEADERS_TIMEOUT_MS: '200', MCP_REQUEST_TIMEOUT_MS: '400' },
    { log: (l) => logs.open.push(l) },
  );
  capped = await startHttp(
    app,
    { ...base, MCP_AUTH: 'none', MCP_MAX_CONNECTIONS: '2' },
    { log: (l) => logs.capped.push(l) },
  );
});
afterAll(async () => {
  await Promise.all([keyed?.close(), open?.close(), capped?.close()]);
  await upstream?.close();
});

const hostOf = (server: RunningHttpServer) => new URL(server.url).host;

describe('a malformed Host header gets 400 and a log line, not an unlogged 500', () => {
  it.each([
    ['userinfo (with a password)', (host: string) => [`alice:s3cret@${host}`], 'userinfo in the Host header'],
    ['userinfo (name only)', (host: string) => [`alice@${host}`], 'userinfo in the Host header'],
    ['a path', (host: string) => [`${host}/x`], 'malformed Host header'],
    ['a port out of range', () => ['127.0.0.1:99999'], 'malformed Host header'],
    ['two Host headers', (host: string) => [host, host], 'more than one Host header'],
  ])('%s', async (_name, hosts, reason) => {
    for (const [server, lines] of [
      [keyed, logs.keyed],
      [open, logs.open],
    ] as const) {
      lines.length = 0;
      const connection = await openRaw(server.url);
      connection.write(
        rawRequest(
          'POST',
          '/mcp',
          { host: hosts(hostOf(server)), ...MCP_HEADERS, authorization: `Bearer ${KEY}` },
          INITIALIZE,
        ),
      );
      const answer = await connection.waitFor(/\r\n\r\n[\s\S]*\}/);
      connection.destroy();
      expect(statusOf(answer)).toBe(400);
      expect(answer).toContain(`Bad Request: ${reason}`);
      const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(logged).toContainEqual(
        expect.objectContaining({ level: 'warn', msg: 'bad request', status: 400, reason }),
      );
      expect(lines.join('\n')).not.toMatch(/s3cret|alice/);
    }
  });

  it('a well-formed Host still passes (control)', async () => {
    const connection = await openRaw(keyed.url);
    connection.write(rawRequest('GET', '/healthz', { host: hostOf(keyed) }));
    expect(statusOf(await connection.waitFor(/\r\n\r\n[\s\S]*ok/))).toBe(200);
    connection.destroy();
  });
});

describe('JSON nested thousands deep', () => {
  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const call = (depth: number) =>
    `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"listOwnerPets","arguments":{"ownerId":${nested(depth)}}}}`;
  const post = (body: string) =>
    fetch(keyed.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, authorization: `Bearer ${KEY}`, 'mcp-protocol-version': '2025-11-25' },
      body,
    });

  it('is refused with 400 and logged', async () => {
    logs.keyed.length = 0;
    const response = await post(call(5000));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      jsonrpc: '2.0',
      id: null,
      error: { message: 'request body nests deeper than 100 levels' },
    });
    expect(logs.keyed.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: 'bad request',
        status: 400,
        reason: 'request body nests deeper than 100 levels',
      }),
    );
    expect(upstream.requests).toHaveLength(0);
  });

  it('within the limit, it reaches the tool (which refuses the wrong type)', async () => {
    const response = await post(call(50));
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/Input validation error/);
  });
});

describe('a request whose body the server never reads does not hold the connection', () => {
  it.each([
    ['no credential: 401', {}, 401],
    ['a foreign Origin: 403', { authorization: `Bearer ${KEY}`, origin: 'https://evil.example' }, 403],
    [
      'a declared body over MCP_MAX_REQUEST_BYTES: 413',
      { authorization: `Bearer ${KEY}`, 'content-length': String(2 * 1024 * 1024) },
      413,
    ],
  ])('%s, then Connection: close and the socket closes', async (_name, headers, status) => {
    const connection = await openRaw(keyed.url);
    // Announce a large body and send a sliver of it: a slow client.
    connection.write(
      rawRequest(
        'POST',
        '/mcp',
        { host: hostOf(keyed), ...MCP_HEADERS, 'content-length': '100000', ...headers },
        '{"jsonrpc":',
      ),
    );
    const answer = await connection.closed;
    expect(statusOf(answer)).toBe(status);
    expect(headerOf(answer, 'connection')).toBe('close');
  });

  it('a complete request keeps its connection for the next one (control)', async () => {
    const connection = await openRaw(keyed.url);
    const request = rawRequest(
      'POST',
      '/mcp',
      { host: hostOf(keyed), ...MCP_HEADERS, authorization: `Bearer ${KEY}` },
      INITIALIZE,
    );
    connection.write(request);
    await connection.waitFor(/\r\n0\r\n\r\n$/);
    connection.write(request);
    const both = await connection.waitFor(/\r\n0\r\n\r\n[\s\S]*\r\n0\r\n\r\n$/);
    expect([statusOf(both, 0), statusOf(both, 1)]).toEqual([200, 200]);
    expect(headerOf(both, 'connection')).toBe('keep-alive');
    connection.destroy();
  });
});

describe('an SSE response honours Connection: close (RFC 9112 §9.6)', () => {
  it('says close and closes', async () => {
    const connection = await openRaw(open.url);
    connection.write(
      rawRequest('POST', '/mcp', { host: hostOf(open), ...MCP_HEADERS, connection: 'close' }, INITIALIZE),
    );
    const answer = await connection.closed;
    expect(statusOf(answer)).toBe(200);
    expect(headerOf(answer, 'content-type')).toBe('text/event-stream');
    expect(headerOf(answer, 'connection')).toBe('close');
    expect(answer).toContain('"protocolVersion":"2025-11-25"');
  });
});

describe('timeouts (MCP_HEADERS_TIMEOUT_MS=200, MCP_REQUEST_TIMEOUT_MS=400 here)', () => {
  it('headers that never finish: 408 and closed', async () => {
    const connection = await openRaw(open.url);
    connection.write(`POST /mcp HTTP/1.1\r\nhost: ${hostOf(open)}\r\n`);
    expect(statusOf(await connection.closed)).toBe(408);
  });

  it('a body that never finishes: 408 and closed', async () => {
    const connection = await openRaw(open.url);
    connection.write(
      rawRequest('POST', '/mcp', { host: hostOf(open), ...MCP_HEADERS, 'content-length': '100000' }, '{"jsonrpc":'),
    );
    expect(statusOf(await connection.closed)).toBe(408);
  });

  it('a connection that sends nothing: 408 and closed', async () => {
    const connection = await openRaw(open.url);
    expect(statusOf(await connection.closed)).toBe(408);
  });
});

describe('the connection cap (MCP_MAX_CONNECTIONS=2 here)', () => {
  it('drops the connection past the cap, logs it, and accepts again once one closes', async () => {
    const held = await Promise.all([openRaw(capped.url), openRaw(capped.url)]);
    for (const connection of held) {
      connection.write(rawRequest('GET', '/healthz', { host: hostOf(capped) }));
      await connection.waitFor(/\r\n\r\n[\s\S]*ok/);
    }
    const third = await openRaw(capped.url);
    expect(await third.closed).toBe('');
    expect(logs.capped.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        maxConnections: 2,
        msg: expect.stringMatching(/connection limit reached.*MCP_MAX_CONNECTIONS/),
      }),
    );

    held[0].destroy();
    await vi.waitFor(async () => expect(await connectionsOf(capped)).toBe(1));
    const fourth = await openRaw(capped.url);
    fourth.write(rawRequest('GET', '/healthz', { host: hostOf(capped) }));
    expect(statusOf(await fourth.waitFor(/\r\n\r\n[\s\S]*ok/))).toBe(200);
    fourth.destroy();
    held[1].destroy();
  });
});

function connectionsOf(server: RunningHttpServer): Promise<number> {
  return new Promise((resolve, reject) =>
    server.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
}
