import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDefinition } from '../../../templates/runtime/mcp/types.js';
import type { RunningHttpServer } from '../../../templates/runtime/server/http-server.js';
import { startHttp } from '../../../templates/runtime/server/main.js';
import { appFromSpec } from '../../support/in-process-app.js';
import { startRecordingUpstream } from '../../support/recording-upstream.js';
import type { RecordingUpstream } from '../../support/recording-upstream.js';

// Differential test of the HTTP fast lane (server/fast-lane.ts): every request below is sent to
// a server that answers the hot requests itself and to one forced through the SDK handler, and
// the two answers (status, protocol headers, parsed JSON-RPC messages) and audit lines must be equal.

const THING = { type: 'object', required: ['id'], properties: { id: { type: 'integer' }, name: { type: 'string' } } };
const json = (schema: unknown) => ({ 'application/json': { schema } });
const SPEC = {
  openapi: '3.1.0',
  info: { title: 'Things', version: '1.0.0' },
  servers: [{ url: 'https://things.example/v1' }],
  security: [{ thingsAuth: ['things:read'] }],
  paths: {
    '/things/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
      get: { operationId: 'getThing', responses: { '200': { description: 'ok', content: json(THING) } } },
      delete: {
        operationId: 'deleteThing',
        security: [{ thingsAuth: ['things:write'] }],
        responses: { '204': { description: 'gone' } },
      },
    },
    '/things': {
      get: {
        operationId: 'listThings',
        responses: { '200': { description: 'ok', content: json({ type: 'array', items: THING }) } },
      },
    },
    '/text': {
      get: {
        operationId: 'getText',
        responses: { '200': { description: 'ok', content: { 'text/plain': { schema: { type: 'string' } } } } },
      },
    },
    '/image': {
      get: {
        operationId: 'getImage',
        responses: { '200': { description: 'ok', content: { 'image/png': { schema: { type: 'string' } } } } },
      },
    },
    '/fail': {
      get: { operationId: 'failing', responses: { '200': { description: 'ok', content: json(THING) } } },
    },
  },
  components: {
    securitySchemes: {
      thingsAuth: {
        type: 'oauth2',
        flows: {
          authorizationCode: {
            authorizationUrl: 'https://login.example/authorize',
            tokenUrl: 'https://login.example/token',
            scopes: { 'things:read': 'read', 'things:write': 'write' },
          },
        },
      },
    },
  },
};

const READER_KEY = 'reader-key-0123456789abcdefghijklmnopqrstuv';
const WRITER_KEY = 'writer-key-0123456789abcdefghijklmnopqrstuv';

interface Pair {
  readonly fast: RunningHttpServer;
  readonly sdk: RunningHttpServer;
  readonly fastLogs: string[];
  readonly sdkLogs: string[];
}

let app: AppDefinition;
let upstream: RecordingUpstream;
let open: Pair;
let keyed: Pair;

async function startPair(env: Record<string, string>): Promise<Pair> {
  const fastLogs: string[] = [];
  const sdkLogs: string[] = [];
  const base = { HOST: '127.0.0.1', PORT: '0', UPSTREAM_BASE_URL: upstream.baseUrl, MCP_TOOLS_PAGE_SIZE: '2', ...env };
  const fast = await startHttp(app, base, { log: (l) => fastLogs.push(l) });
  const sdk = await startHttp(app, base, { log: (l) => sdkLogs.push(l), http: { fastLane: false } });
  return { fast, sdk, fastLogs, sdkLogs };
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fast-lane-'));
  const spec = join(dir, 'things.json');
  writeFileSync(spec, JSON.stringify(SPEC));
  app = await appFromSpec(spec);
  upstream = await startRecordingUpstream();
  upstream.respond((req) => {
    if (req.url.endsWith('/things/2')) return { body: JSON.stringify({ id: 'two' }) };
    if (req.url.includes('/things/'))
      return req.method === 'DELETE' ? { status: 204 } : { body: '{"id":1,"name":"a"}' };
    if (req.url.endsWith('/things')) return { body: '[{"id":1},{"id":2,"name":"b"}]' };
    if (req.url.endsWith('/text')) return { headers: { 'content-type': 'text/plain' }, body: 'plain words' };
    if (req.url.endsWith('/image'))
      return { headers: { 'content-type': 'image/png' }, body: Buffer.from([0x89, 0x50, 0x4e, 0x47]) };
    return { status: 500, body: '{"message":"boom"}' };
  });
  open = await startPair({ MCP_AUTH: 'none' });
  const keys = join(dir, 'keys.json');
  const entry = (key: string, subject: string, scopes: string[]) => ({
    sha256: createHash('sha256').update(key).digest('hex'),
    subject,
    roles: [],
    scopes,
  });
  writeFileSync(
    keys,
    JSON.stringify({
      keys: [
        entry(READER_KEY, 'reader', ['things:read']),
        entry(WRITER_KEY, 'writer', ['things:read', 'things:write']),
      ],
    }),
  );
  keyed = await startPair({ MCP_AUTH: 'api-key', MCP_API_KEYS_FILE: keys });
});

afterAll(async () => {
  for (const pair of [open, keyed]) {
    await pair?.fast.close();
    await pair?.sdk.close();
  }
  await upstream?.close();
});

interface Answer {
  /** Whether the body came with a Content-Length: the fast lane writes its one event whole, the SDK streams. */
  readonly framed: boolean;
  readonly status: number;
  readonly headers: Record<string, string | undefined>;
  readonly messages: unknown;
}

/** Headers whose value is part of the protocol (Node's framing headers, date and length, are not). */
const COMPARED_HEADERS = [
  'content-type',
  'cache-control',
  'x-accel-buffering',
  'allow',
  'www-authenticate',
  'mcp-session-id',
  'access-control-allow-origin',
  'access-control-expose-headers',
];

function send(
  url: string,
  method: string,
  headers: Record<string, string | undefined>,
  body: string | undefined,
): Promise<Answer> {
  const sent = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: sent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const type = res.headers['content-type'] ?? '';
        resolve({
          framed: res.headers['content-length'] !== undefined,
          status: res.statusCode ?? 0,
          headers: Object.fromEntries(COMPARED_HEADERS.map((h) => [h, res.headers[h] as string | undefined])),
          messages: type.includes('text/event-stream') ? sseMessages(text) : text === '' ? '' : JSON.parse(text),
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The JSON of every `data:` field, per SSE event. */
function sseMessages(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter((event) => event.trim() !== '')
    .map((event) => {
      const data = event
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      return { event: event.split('\n').find((l) => l.startsWith('event:')), data: JSON.parse(data) as unknown };
    });
}

const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2025-11-25',
};
const rpc = (method: string, params?: unknown, id: unknown = 1) => ({
  jsonrpc: '2.0',
  id,
  method,
  ...(params !== undefined ? { params } : {}),
});
const call = (name: unknown, args?: unknown, id: unknown = 1) =>
  rpc('tools/call', { name, ...(args !== undefined ? { arguments: args } : {}) }, id);

type Case = readonly [
  name: string,
  request: {
    readonly body?: unknown;
    readonly raw?: string;
    readonly headers?: Record<string, string | undefined>;
    readonly method?: string;
  },
];

const CASES: readonly Case[] = [
  ['a call with a structured result', { body: call('getThing', { id: 1 }) }],
  ['a call with a string id', { body: call('getThing', { id: 1 }, 'req-7') }],
  ['id 0', { body: call('getThing', { id: 1 }, 0) }],
  ['a negative id', { body: call('getThing', { id: 1 }, -5) }],
  ['the largest safe integer id', { body: call('getThing', { id: 1 }, Number.MAX_SAFE_INTEGER) }],
  ['an unsafe integer id', { raw: '{"jsonrpc":"2.0","id":9007199254740993,"method":"ping"}' }],
  ['a fractional id', { body: call('getThing', { id: 1 }, 1.5) }],
  ['a null id', { body: call('getThing', { id: 1 }, null) }],
  ['a boolean id', { body: call('getThing', { id: 1 }, true) }],
  ['a huge string id', { body: call('getThing', { id: 1 }, 'x'.repeat(20_000)) }],
  ['an id with quotes and unicode', { body: call('getThing', { id: 1 }, 'a"b\\c\u2028é') }],
  ['missing arguments', { body: call('getThing') }],
  ['an argument below its minimum', { body: call('getThing', { id: 0 }) }],
  ['an argument of the wrong type', { body: call('getThing', { id: 'x' }) }],
  ['an unknown argument', { body: call('getThing', { id: 1, extra: true }) }],
  ['an unknown tool', { body: call('noSuchTool', {}) }],
  ['a tool name that is not a string', { body: call(42, {}) }],
  ['arguments that are an array', { body: call('getThing', [1]) }],
  ['arguments that are null', { body: call('getThing', null) }],
  [
    'an argument named __proto__',
    {
      raw: '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"getThing","arguments":{"__proto__":{"id":1},"id":1}}}',
    },
  ],
  ['an array (non-object) structured result', { body: call('listThings', {}) }],
  ['a text result', { body: call('getText', {}) }],
  ['an image result', { body: call('getImage', {}) }],
  ['an upstream failure (isError)', { body: call('failing', {}) }],
  ['a result that breaks the output schema', { body: call('getThing', { id: 2 }) }],
  ['a call of a write tool', { body: call('deleteThing', { id: 3 }) }],
  [
    'params with _meta (progress token)',
    { body: rpc('tools/call', { name: 'getThing', arguments: { id: 1 }, _meta: { progressToken: 1 } }) },
  ],
  ['params with a task', { body: rpc('tools/call', { name: 'getThing', arguments: { id: 1 }, task: { ttl: 1000 } }) }],
  ['an extra top-level member', { body: { ...call('getThing', { id: 1 }), extra: 1 } }],
  ['jsonrpc 1.0', { body: { ...call('getThing', { id: 1 }), jsonrpc: '1.0' } }],
  ['tools/list', { body: rpc('tools/list') }],
  ['tools/list with empty params', { body: rpc('tools/list', {}) }],
  ['tools/list, second page', { body: rpc('tools/list', { cursor: Buffer.from('tools:2').toString('base64url') }) }],
  ['tools/list, last page', { body: rpc('tools/list', { cursor: Buffer.from('tools:4').toString('base64url') }) }],
  ['tools/list with an invalid cursor', { body: rpc('tools/list', { cursor: 'bogus' }) }],
  ['tools/list with a cursor that is not a string', { body: rpc('tools/list', { cursor: 3 }) }],
  ['ping', { body: rpc('ping') }],
  ['ping with empty params', { body: rpc('ping', {}) }],
  ['ping with _meta', { body: rpc('ping', { _meta: {} }) }],
  ['an unknown method', { body: rpc('foo/bar', {}) }],
  ['resources/list (no capability)', { body: rpc('resources/list', {}) }],
  [
    'initialize',
    {
      body: rpc('initialize', {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'c', version: '1' },
      }),
    },
  ],
  ['a notification', { body: { jsonrpc: '2.0', method: 'notifications/initialized' } }],
  ['a batch', { body: [call('getThing', { id: 1 }, 1), rpc('tools/list', undefined, 2)] }],
  ['an empty batch', { body: [] }],
  ['a posted response', { body: { jsonrpc: '2.0', id: 1, result: {} } }],
  ['no protocol version header', { body: call('getThing', { id: 1 }), headers: { 'mcp-protocol-version': undefined } }],
  [
    'protocol version 2025-06-18',
    { body: call('getThing', { id: 1 }), headers: { 'mcp-protocol-version': '2025-06-18' } },
  ],
  ['protocol version 2025-03-26', { body: rpc('tools/list'), headers: { 'mcp-protocol-version': '2025-03-26' } }],
  [
    'an unsupported protocol version',
    { body: call('getThing', { id: 1 }), headers: { 'mcp-protocol-version': '1999-01-01' } },
  ],
  ['a protocol version with spaces', { body: rpc('ping'), headers: { 'mcp-protocol-version': ' 2025-11-25 ' } }],
  [
    'the 2026-07-28 header without an envelope',
    { body: call('getThing', { id: 1 }), headers: { 'mcp-protocol-version': '2026-07-28' } },
  ],
  [
    'a 2026-07-28 envelope with a mismatched header',
    {
      body: rpc('tools/call', {
        name: 'getThing',
        arguments: { id: 1 },
        _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' },
      }),
    },
  ],
  ['an Mcp-Method header', { body: call('getThing', { id: 1 }), headers: { 'mcp-method': 'tools/call' } }],
  ['an Mcp-Session-Id header', { body: call('getThing', { id: 1 }), headers: { 'mcp-session-id': 'abc' } }],
  ['Accept: application/json only', { body: call('getThing', { id: 1 }), headers: { accept: 'application/json' } }],
  ['Accept: text/event-stream only', { body: call('getThing', { id: 1 }), headers: { accept: 'text/event-stream' } }],
  ['no Accept header', { body: rpc('ping'), headers: { accept: undefined } }],
  ['Accept: */*', { body: rpc('ping'), headers: { accept: '*/*' } }],
  ['no Content-Type', { body: call('getThing', { id: 1 }), headers: { 'content-type': undefined } }],
  ['Content-Type: text/plain', { body: call('getThing', { id: 1 }), headers: { 'content-type': 'text/plain' } }],
  [
    'Content-Type with a charset',
    { body: call('getThing', { id: 1 }), headers: { 'content-type': 'application/json; charset=utf-8' } },
  ],
  ['a body that is not JSON', { raw: '{"jsonrpc":' }],
  ['a JSON string body', { raw: '"tools/call"' }],
  ['an allowed Origin', { body: call('getThing', { id: 1 }), headers: { origin: 'http://localhost' } }],
  ['GET', { method: 'GET', headers: { accept: 'text/event-stream', 'content-type': undefined } }],
  ['DELETE', { method: 'DELETE', headers: { 'content-type': undefined } }],
];

/** The cases the fast lane answers itself (everything else reaches the SDK handler). */
const HOT: ReadonlySet<string> = new Set([
  'a call with a structured result',
  'a call with a string id',
  'id 0',
  'a negative id',
  'the largest safe integer id',
  'a huge string id',
  'an id with quotes and unicode',
  'missing arguments',
  'an argument below its minimum',
  'an argument of the wrong type',
  'an unknown argument',
  'an unknown tool',
  'an array (non-object) structured result',
  'a text result',
  'an image result',
  'an upstream failure (isError)',
  'a result that breaks the output schema',
  'a call of a write tool',
  'tools/list',
  'tools/list with empty params',
  'tools/list, last page',
  // Node trims the spaces around a header value before anyone sees it.
  'a protocol version with spaces',
  'tools/list, second page',
  'ping',
  'ping with empty params',
  'no protocol version header',
  'protocol version 2025-06-18',
  'protocol version 2025-03-26',
  'Content-Type with a charset',
  'an allowed Origin',
]);

function unframed({ framed: _framed, ...answer }: Answer): Omit<Answer, 'framed'> {
  return answer;
}

async function both(pair: Pair, c: Case[1], auth: Record<string, string> = {}): Promise<[Answer, Answer]> {
  const headers = { ...MCP_HEADERS, ...auth, ...c.headers };
  const body = c.raw ?? (c.body === undefined ? undefined : JSON.stringify(c.body));
  const method = c.method ?? 'POST';
  return [await send(pair.fast.url, method, headers, body), await send(pair.sdk.url, method, headers, body)];
}

describe('the fast lane answers exactly as the SDK handler', () => {
  it.each(CASES)('authorization off: %s', async (name, c) => {
    const [fast, sdk] = await both(open, c);
    expect(unframed(fast)).toEqual(unframed(sdk));
    expect(fast.framed && fast.headers['content-type'] === 'text/event-stream').toBe(HOT.has(name));
  });

  it.each(CASES)('api key with read scope only: %s', async (name, c) => {
    const before = [keyed.fastLogs.length, keyed.sdkLogs.length] as const;
    const [fast, sdk] = await both(keyed, c, { 'x-api-key': READER_KEY });
    expect(unframed(fast)).toEqual(unframed(sdk));
    // A write tool is refused by the gate (403) before any lane: nothing else changes lanes with a key.
    const hot = HOT.has(name) && name !== 'a call of a write tool';
    expect(fast.framed && fast.headers['content-type'] === 'text/event-stream').toBe(hot);
    // The same authorization decisions are audited, in the same words.
    expect(audit(keyed.fastLogs.slice(before[0]))).toEqual(audit(keyed.sdkLogs.slice(before[1])));
  });

  it.each([
    ['a reader calling a write tool (step-up 403)', READER_KEY, call('deleteThing', { id: 3 })],
    ['a writer calling a write tool', WRITER_KEY, call('deleteThing', { id: 3 })],
    ['a writer listing tools', WRITER_KEY, rpc('tools/list')],
    ['no key', undefined, call('getThing', { id: 1 })],
    ['a wrong key', `${READER_KEY}x`, call('getThing', { id: 1 })],
  ] as const)('api key: %s', async (_name, key, body) => {
    const before = [keyed.fastLogs.length, keyed.sdkLogs.length] as const;
    const [fast, sdk] = await both(keyed, { body }, key ? { authorization: `Bearer ${key}` } : {});
    expect(unframed(fast)).toEqual(unframed(sdk));
    expect(audit(keyed.fastLogs.slice(before[0]))).toEqual(audit(keyed.sdkLogs.slice(before[1])));
  });
});

/** Audit lines without their timestamps. */
function audit(lines: readonly string[]): unknown[] {
  return lines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === 'authorization')
    .map(({ time: _time, ...rest }) => rest);
}
