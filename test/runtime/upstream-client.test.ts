import { getEventListeners } from 'node:events';
import { createServer, get, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createKeepAliveClient,
  fetchClient,
  type UpstreamClient,
  type UpstreamRequest,
} from '../../templates/runtime/http/upstream-client.js';
import { SELF_SIGNED_CERT, SELF_SIGNED_KEY } from './support/self-signed.js';

// Issue 8 ("fixed cost"): the default upstream client is node:http with keep-alive agents. It must keep
// every guarantee fetch gave: no redirects, the response cap, the abort signal.

let server: Server;
let origin: string;
let connections = 0;
const seen: { url: string; headers: Record<string, unknown>; body: string }[] = [];
let respond: (url: string, res: import('node:http').ServerResponse) => void;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      respond(req.url ?? '', res);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  connections = 0;
  seen.length = 0;
  respond = (_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
});

const request = (path: string, extra: Partial<UpstreamRequest> = {}): UpstreamRequest => ({
  method: 'GET',
  url: new URL(path, origin),
  headers: new Headers({ accept: 'application/json' }),
  body: undefined,
  signal: AbortSignal.timeout(5000),
  maxBytes: 1 << 20,
  ...extra,
});

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
/**
 * One event-loop turn: undici hands a connection that has just answered to the next request only
 * after a full turn (it lets a server that closes despite keep-alive be seen first). A call that
 * arrives over the network (an MCP request) always comes a turn or more after the last answer.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createKeepAliveClient', () => {
  it('reuses one connection for consecutive calls', async () => {
    const client = createKeepAliveClient();
    try {
      for (let i = 0; i < 3; i++) {
        expect((await client.send(request('/a'))).status).toBe(200);
        await nextTurn();
      }
      expect(connections).toBe(1);
    } finally {
      client.close();
    }
  });

  it('keeps back-to-back calls (no turn between them) on two connections, not one each', async () => {
    const client = createKeepAliveClient();
    try {
      for (let i = 0; i < 10; i++) expect((await client.send(request('/a'))).status).toBe(200);
      expect(connections).toBeLessThanOrEqual(2);
    } finally {
      client.close();
    }
  });

  it.each([
    ['GET', 2],
    ['POST', 1],
  ])(
    '%s on a pooled connection the server dropped: sent again on a new one only when idempotent',
    async (method, sends) => {
      // The server answers the first request of each connection and drops the connection at the second,
      // as a server whose keep-alive timeout ran out just as the request arrived.
      const perSocket = new WeakMap<object, number>();
      respond = (_, res) => {
        const n = (perSocket.get(res.socket!) ?? 0) + 1;
        perSocket.set(res.socket!, n);
        if (n === 2) res.socket!.destroy();
        else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      };
      const client = createKeepAliveClient();
      try {
        expect((await client.send(request('/first'))).status).toBe(200);
        await nextTurn();
        const second = client.send(request('/second', { method }));
        if (sends === 2) expect((await second).status).toBe(200);
        else await expect(second).rejects.toMatchObject({ code: 'ECONNRESET' });
        expect(seen.filter((s) => s.url === '/second')).toHaveLength(sends);
      } finally {
        client.close();
      }
    },
  );

  it('does not send a GET again when a new connection closes before answering it (no stale pooled connection)', async () => {
    // Every connection is dropped at its first request: a server that fails this request, not a stale pool.
    respond = (_, res) => res.socket!.destroy();
    const client = createKeepAliveClient();
    try {
      await expect(client.send(request('/fails'))).rejects.toMatchObject({ code: 'ECONNRESET' });
      expect(seen.map((s) => s.url)).toEqual(['/fails']);
    } finally {
      client.close();
    }
  });

  it("follows each answer's Keep-Alive hint: a second or less stops reuse, whatever the hint before it said", async () => {
    // An explicit Connection header keeps node's own Keep-Alive header out: the hint is the test's.
    const hints = ['timeout=3', 'timeout=1', 'timeout=3', 'timeout=3'];
    respond = (_url, res) =>
      res
        .writeHead(200, { 'content-type': 'text/plain', connection: 'keep-alive', 'keep-alive': hints.shift()! })
        .end('ok');
    // One connection at most: which idle connection a pool of several picks is not what this test is about.
    const client = createKeepAliveClient({ keepAliveMs: 10_000, maxSockets: 1 });
    try {
      for (let i = 0; i < 4; i++) {
        expect((await client.send(request(`/hint${i}`))).status).toBe(200);
        await nextTurn();
      }
      // 1st and 2nd share a connection; the 2nd said timeout=1, so the 3rd opens another, which the 4th reuses.
      expect(connections).toBe(2);
    } finally {
      client.close();
    }
  });

  it('reads Content-Type, Location and Content-Encoding as node merges them, repeated ones included', async () => {
    const raw = [
      ['Content-Type', 'text/plain'],
      ['content-type', 'application/json'],
      ['LOCATION', '/first'],
      ['Location', '/second'],
      ['Content-Encoding', 'identity'],
      ['content-encoding', 'br'],
    ];
    respond = (_url, res) => res.writeHead(302, raw.flat()).end('{}');
    // What node:http's own `headers` object says of the same answer.
    const expected = await new Promise<import('node:http').IncomingHttpHeaders>((resolve, reject) =>
      get(`${origin}/node`, (res) => {
        res.resume();
        resolve(res.headers);
      }).on('error', reject),
    );
    expect(expected['content-encoding']).toBe('identity, br');
    const client = createKeepAliveClient();
    try {
      const reply = await client.send(request('/ours'));
      expect(reply.contentType).toBe(expected['content-type']);
      expect(reply.location).toBe(expected.location);
      // "identity, br" is no encoding the client decodes: the body arrives as sent.
      expect(text(reply.body.bytes)).toBe('{}');
    } finally {
      client.close();
    }
  });

  it('opens at most maxSockets connections to an origin; further calls wait for one', async () => {
    // Each answer waits a turn: ten calls at once would otherwise be on ten connections.
    respond = (_url, res) => setImmediate(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    const client = createKeepAliveClient({ maxSockets: 2 });
    try {
      const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => client.send(request(`/q${i}`))));
      expect(replies.map((reply) => reply.status)).toEqual(Array(10).fill(200));
      expect(connections).toBe(2);
    } finally {
      client.close();
    }
  });

  it('drops a call abandoned while it waited for a connection without closing that connection', async () => {
    const held: (() => void)[] = [];
    respond = (url, res) => {
      const answer = () => res.writeHead(200, { 'content-type': 'text/plain' }).end(url);
      if (url === '/held') held.push(answer);
      else answer();
    };
    const client = createKeepAliveClient({ maxSockets: 1 });
    const abort = new AbortController();
    try {
      const first = client.send(request('/held'));
      while (held.length === 0) await nextTurn();
      // The one connection is busy: this call waits in the pool's queue, and its caller gives up.
      const queued = client.send(request('/never', { signal: abort.signal }));
      abort.abort();
      await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
      held[0]!();
      expect(text((await first).body.bytes)).toBe('/held');
      await nextTurn();
      expect(text((await client.send(request('/next'))).body.bytes)).toBe('/next');
      expect({ urls: seen.map((s) => s.url), connections }).toEqual({ urls: ['/held', '/next'], connections: 1 });
    } finally {
      client.close();
    }
  });

  it('closes a pooled connection once it has been idle for keepAliveMs', async () => {
    respond = (_url, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    const closed = new Promise<void>((resolve) => server.once('connection', (socket) => socket.once('close', resolve)));
    const client = createKeepAliveClient({ keepAliveMs: 50 });
    try {
      const reply = await client.send(request(`${origin}/idle`));
      expect(reply.status).toBe(200);
      // Resolves only when the client drops the idle socket: the agent's idle timer fired.
      await closed;
    } finally {
      client.close();
    }
  });

  it('close() closes the pooled connections, and the client still answers afterwards on a new one', async () => {
    const closed = new Promise<void>((resolve) => server.once('connection', (socket) => socket.once('close', resolve)));
    const client = createKeepAliveClient({ keepAliveMs: 60_000 });
    try {
      expect((await client.send(request('/before'))).status).toBe(200);
      client.close();
      // Resolves only when the client drops the socket: far before the 60 s idle timeout.
      await closed;
      expect((await client.send(request('/after'))).status).toBe(200);
      expect(connections).toBe(2);
    } finally {
      client.close();
    }
  }, 5000);

  it('answers a redirect as it is, without following it', async () => {
    respond = (url, res) =>
      url === '/from' ? res.writeHead(302, { location: `${origin}/to` }).end() : res.end('followed');
    const client = createKeepAliveClient();
    try {
      const reply = await client.send(request('/from'));
      expect({ status: reply.status, location: reply.location }).toEqual({ status: 302, location: `${origin}/to` });
      expect(seen.map((s) => s.url)).toEqual(['/from']);
    } finally {
      client.close();
    }
  });

  it('stops at the cap on decoded bytes when a server compresses unasked (a zip bomb stays small)', async () => {
    const bomb = gzipSync(Buffer.alloc(10 << 20));
    respond = (_, res) => res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' }).end(bomb);
    const client = createKeepAliveClient();
    try {
      const reply = await client.send(request('/bomb', { maxBytes: 1000 }));
      expect({ truncated: reply.body.truncated, size: reply.body.bytes.byteLength }).toEqual({
        truncated: true,
        size: 1000,
      });
      expect(seen[0]?.headers['accept-encoding']).toBeUndefined();
    } finally {
      client.close();
    }
  });

  it('answers with the capped decoded bytes when the cap is reached while a compressed body is still arriving', async () => {
    // Most of a zip bomb, and the response left open: the cap, not the end, finishes the call.
    const bomb = gzipSync(Buffer.alloc(10 << 20));
    respond = (_, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
      res.write(bomb.subarray(0, bomb.byteLength - 16));
    };
    const client = createKeepAliveClient();
    try {
      const reply = await client.send(request('/open-bomb', { maxBytes: 1000 }));
      expect({ truncated: reply.body.truncated, size: reply.body.bytes.byteLength }).toEqual({
        truncated: true,
        size: 1000,
      });
    } finally {
      client.close();
    }
  });

  it('answers with the first maxBytes of a plain body that goes on, and drops its connection', async () => {
    respond = (_, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('x'.repeat(5000));
    };
    const closed = new Promise<void>((resolve) => server.once('connection', (socket) => socket.once('close', resolve)));
    const client = createKeepAliveClient();
    try {
      const reply = await client.send(request('/long', { maxBytes: 1000 }));
      expect({ truncated: reply.body.truncated, text: text(reply.body.bytes) }).toEqual({
        truncated: true,
        text: 'x'.repeat(1000),
      });
      // The rest is never read: the connection is closed, not left to the server's pace.
      await closed;
    } finally {
      client.close();
    }
  });

  it('decodes a gzip body within the cap', async () => {
    respond = (_, res) =>
      res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' }).end(gzipSync('hello'));
    const client = createKeepAliveClient();
    try {
      const reply = await client.send(request('/gz'));
      expect({ text: text(reply.body.bytes), truncated: reply.body.truncated }).toEqual({
        text: 'hello',
        truncated: false,
      });
    } finally {
      client.close();
    }
  });

  it.each(['HEAD', 'GET'])('answers a body-less %s reply that names an encoding with an empty body', async (method) => {
    // A HEAD reply describes the GET's body; a 204 has none. Neither has anything to decode.
    respond = (_, res) =>
      res.writeHead(method === 'HEAD' ? 200 : 204, { 'content-type': 'text/plain', 'content-encoding': 'gzip' }).end();
    const client = createKeepAliveClient();
    try {
      const reply = await client.send(request('/empty', { method }));
      expect({ status: reply.status, size: reply.body.bytes.byteLength, truncated: reply.body.truncated }).toEqual({
        status: method === 'HEAD' ? 200 : 204,
        size: 0,
        truncated: false,
      });
    } finally {
      client.close();
    }
  });

  it('rejects when the signal aborts while the body is still arriving', async () => {
    respond = (_, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    };
    const client = createKeepAliveClient();
    const abort = new AbortController();
    try {
      const pending = client.send(request('/drip', { signal: abort.signal }));
      await new Promise((resolve) => setImmediate(resolve));
      while (seen.length === 0) await new Promise((resolve) => setImmediate(resolve));
      abort.abort();
      await expect(pending).rejects.toThrow();
    } finally {
      client.close();
    }
  });

  it('rejects at once, sending nothing, when the signal is already aborted', async () => {
    const client = createKeepAliveClient();
    try {
      await expect(client.send(request('/a', { signal: AbortSignal.abort() }))).rejects.toMatchObject({
        name: 'AbortError',
      });
      expect(seen).toHaveLength(0);
    } finally {
      client.close();
    }
  });

  it('leaves no abort listener on the signal once a request is done (a shared signal does not grow)', async () => {
    const client = createKeepAliveClient();
    const abort = new AbortController();
    try {
      for (let i = 0; i < 5; i++) await client.send(request('/a', { signal: abort.signal }));
      await new Promise((resolve) => setImmediate(resolve));
      expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
    } finally {
      client.close();
    }
  });

  it('sends the path and query of the URL, to an IPv6 literal host too', async () => {
    const v6 = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(req.url));
    await new Promise<void>((resolve) => v6.listen(0, '::1', resolve));
    const client = createKeepAliveClient();
    try {
      const url = new URL(`http://[::1]:${(v6.address() as AddressInfo).port}/a/b%20c?q=1&r=%2F`);
      const reply = await client.send(request('/', { url }));
      expect(text(reply.body.bytes)).toBe('/a/b%20c?q=1&r=%2F');
      await client.send(request('/x?y=2'));
      expect(seen.at(-1)?.url).toBe('/x?y=2');
    } finally {
      client.close();
      v6.closeAllConnections();
      await new Promise((resolve) => v6.close(resolve));
    }
  });

  it('sends the Host header node:http would (port, bracketed IPv6 literal), a body-less POST with Content-Length: 0', async () => {
    const v6 = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(req.headers.host));
    await new Promise<void>((resolve) => v6.listen(0, '::1', resolve));
    const client = createKeepAliveClient();
    try {
      const port = (v6.address() as AddressInfo).port;
      const reply = await client.send(request('/', { url: new URL(`http://[::1]:${port}/h`) }));
      expect(text(reply.body.bytes)).toBe(`[::1]:${port}`);
      await client.send(request('/post', { method: 'POST' }));
      await client.send(request('/get'));
      expect(seen.map((s) => [s.headers['host'], s.headers['content-length'], s.headers['transfer-encoding']])).toEqual(
        [
          [new URL(origin).host, '0', undefined],
          [new URL(origin).host, undefined, undefined],
        ],
      );
      // A header of the caller's own wins over the one node:http would add.
      await client.send(request('/ua', { headers: { 'user-agent': 'mine/1', host: new URL(origin).host } }));
      expect(seen.at(-1)?.headers['user-agent']).toBe('mine/1');
      expect(seen.at(-1)?.headers['host']).toBe(new URL(origin).host);
    } finally {
      client.close();
      v6.closeAllConnections();
      await new Promise((resolve) => v6.close(resolve));
    }
  });

  it('refuses a header value that would split the request (CR/LF), sending nothing', async () => {
    const client = createKeepAliveClient();
    try {
      await expect(client.send(request('/a', { headers: { 'x-one': 'a\r\nx-two: b' } }))).rejects.toThrow();
      expect(seen).toEqual([]);
    } finally {
      client.close();
    }
  });

  it('takes a plain header record (lower-case names) as well as Headers', async () => {
    const client = createKeepAliveClient();
    try {
      await client.send(request('/a', { headers: { accept: 'text/plain', 'x-one': '1' } }));
      expect(seen[0]?.headers['accept']).toBe('text/plain');
      expect(seen[0]?.headers['x-one']).toBe('1');
    } finally {
      client.close();
    }
  });

  it('sends string, bytes, URLSearchParams and FormData bodies with their length and type, and a default User-Agent', async () => {
    const client = createKeepAliveClient();
    const form = new FormData();
    form.append('name', 'Rex');
    try {
      for (const body of ['{"a":1}', new Uint8Array([104, 105]), new URLSearchParams({ q: 'a b' }), form]) {
        await client.send(request('/post', { method: 'POST', body }));
      }
      expect(
        seen.map((s) => [
          s.body.length > 0,
          s.headers['content-length'] === String(Buffer.byteLength(s.body)),
          s.headers['user-agent'],
        ]),
      ).toEqual([
        [true, true, 'node'],
        [true, true, 'node'],
        [true, true, 'node'],
        [true, true, 'node'],
      ]);
      expect(seen[2]?.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
      expect(String(seen[3]?.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
      expect(seen[3]?.body).toContain('Rex');
    } finally {
      client.close();
    }
  });
});

describe('createKeepAliveClient over https', () => {
  it('verifies the upstream certificate: a self-signed one is refused before any request is sent', async () => {
    let requests = 0;
    const tls = createHttpsServer({ key: SELF_SIGNED_KEY, cert: SELF_SIGNED_CERT }, (_, res) => {
      requests++;
      res.end('{}');
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const client = createKeepAliveClient();
    try {
      const url = new URL(`https://127.0.0.1:${(tls.address() as AddressInfo).port}/x`);
      await expect(client.send(request('/x', { url }))).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
      expect(requests).toBe(0);
    } finally {
      client.close();
      tls.closeAllConnections();
      await new Promise((resolve) => tls.close(resolve));
    }
  });
});

describe('fetchClient', () => {
  it('reads the same reply shape through fetch, without following redirects', async () => {
    respond = (url, res) => (url === '/from' ? res.writeHead(301, { location: '/to' }).end() : res.end('followed'));
    const client: UpstreamClient = fetchClient();
    const reply = await client(request('/from'));
    expect({ status: reply.status, location: reply.location }).toEqual({ status: 301, location: '/to' });
    expect(seen.map((s) => s.url)).toEqual(['/from']);
  });
});
