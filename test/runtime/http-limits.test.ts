import { createServer } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeader, Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hostProblem } from '../../templates/runtime/server/host-check.js';
import {
  ConnectionAwareResponse,
  capConnections,
  DEFAULT_HTTP_LIMITS,
} from '../../templates/runtime/server/http-limits.js';
import { jsonDepth } from '../../templates/runtime/server/read-json-body.js';
import { safeErrorText } from '../../templates/runtime/server/safe-error-text.js';
import { headerOf, openRaw, rawRequest } from './support/raw-http.js';

// Waits are for events; a regression shows as a hang, so fail it fast.
vi.setConfig({ testTimeout: 15_000 });

// The pieces of the HTTP hardening one at a time; http-hardening.test.ts runs them together.

describe('hostProblem (RFC 9110 §7.2, RFC 9112 §3.2)', () => {
  const request = (...hosts: string[]) =>
    ({
      headers: hosts.length > 0 ? { host: hosts[0] } : {},
      rawHeaders: hosts.flatMap((h) => ['Host', h]),
    }) as unknown as IncomingMessage;

  it.each([
    ['127.0.0.1:3000', undefined],
    ['localhost', undefined],
    ['[::1]:3000', undefined],
    ['mcp.example.com', undefined],
    ['mcp.example.com:', undefined],
    ['xn--bcher-kva.example', undefined],
    ['alice@127.0.0.1:3000', 'userinfo in the Host header'],
    ['alice:pw@mcp.example.com', 'userinfo in the Host header'],
    ['127.0.0.1:3000/mcp', 'malformed Host header'],
    ['127.0.0.1:3000?x', 'malformed Host header'],
    ['127.0.0.1#x', 'malformed Host header'],
    ['127.0.0.1:65536', 'malformed Host header'],
    ['127.0.0.1:30a', 'malformed Host header'],
    ['[::1', 'malformed Host header'],
    ['a b', 'malformed Host header'],
    ['a%zz', 'malformed Host header'],
  ])('%s: %s', (host, problem) => {
    expect(hostProblem(request(host))).toBe(problem);
  });

  it('two Host headers, even identical ones', () => {
    expect(hostProblem(request('127.0.0.1', '127.0.0.1'))).toBe('more than one Host header');
  });

  it('no Host at all is left to Node and the allow-list check', () => {
    expect(hostProblem(request())).toBeUndefined();
  });
});

describe('jsonDepth', () => {
  it.each([
    ['1', 0],
    ['[]', 1],
    ['{"a":[{"b":[]}]}', 4],
    ['{"a":"[[[[{{{{"}', 1],
    ['{"a":"\\"[[[["}', 1],
    ['["\\\\",[["x"]]]', 3],
    [`${'['.repeat(5000)}${']'.repeat(5000)}`, 5000],
  ])('%s has depth %i', (text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
  });
});

describe('safeErrorText', () => {
  it('keeps what failed and blanks quoted values and URL userinfo', () => {
    expect(
      safeErrorText(
        new TypeError(
          'Request cannot be constructed from a URL that includes credentials: http://alice:pw@127.0.0.1:3000/mcp',
        ),
      ),
    ).toBe(
      'TypeError: Request cannot be constructed from a URL that includes credentials: http://…@127.0.0.1:3000/mcp',
    );
    expect(safeErrorText(new TypeError('Headers.append: "Bearer eyJsecret" is an invalid header value.'))).toBe(
      'TypeError: Headers.append: "…" is an invalid header value.',
    );
    expect(safeErrorText('plain')).toBe('plain');
  });
});

describe('capConnections', () => {
  it('sets the cap and warns at most once a minute, counting the drops in between', () => {
    const server = createServer();
    const logs: string[] = [];
    let now = 1_000_000;
    capConnections(
      server,
      { ...DEFAULT_HTTP_LIMITS, maxConnections: 7 },
      (l) => logs.push(l),
      () => now,
    );
    expect(server.maxConnections).toBe(7);
    server.emit('drop');
    now += 10_000;
    server.emit('drop');
    now += 51_000;
    server.emit('drop');
    expect(logs.map((l) => (JSON.parse(l) as { dropped: number }).dropped)).toEqual([1, 2]);
  });
});

describe('ConnectionAwareResponse', () => {
  let server: Server;
  let url: string;
  const forms: Record<string, (res: ConnectionAwareResponse) => void> = {
    object: (res) => res.writeHead(200, { connection: 'keep-alive', 'x-kept': '1' }),
    'status message and object': (res) => res.writeHead(200, 'Fine', { Connection: 'keep-alive', 'x-kept': '1' }),
    'flat array': (res) => res.writeHead(200, ['Connection', 'keep-alive', 'x-kept', '1'] as OutgoingHttpHeader[]),
    'array of pairs': (res) =>
      res.writeHead(200, [
        ['connection', 'keep-alive'],
        ['x-kept', '1'],
      ]),
    setHeader: (res) => {
      res.setHeader('connection', 'keep-alive');
      res.setHeader('x-kept', '1');
      res.writeHead(200);
    },
  };

  beforeAll(async () => {
    server = createServer({ ServerResponse: ConnectionAwareResponse }, (req, res) => {
      forms[decodeURIComponent((req.url ?? '/').slice(1))]!(res);
      res.end('done');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each(Object.keys(forms))('honours Connection: close over an explicit keep-alive (%s)', async (form) => {
    const connection = await openRaw(url);
    connection.write(rawRequest('GET', `/${encodeURIComponent(form)}`, { host: 'x', connection: 'close' }));
    const answer = await connection.closed;
    expect(headerOf(answer, 'connection')).toBe('close');
    expect(headerOf(answer, 'x-kept')).toBe('1');
    expect(answer).toMatch(/done/);
  });

  it('keeps the connection when the client did not ask to close and sent no body (control)', async () => {
    const connection = await openRaw(url);
    connection.write(rawRequest('GET', '/object', { host: 'x' }));
    const answer = await connection.waitFor(/done/);
    expect(headerOf(answer, 'connection')).toBe('keep-alive');
    connection.destroy();
  });
});
