import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { readJsonBody } from '../../../templates/runtime/server/read-json-body.js';

/** Reads one request with readJsonBody and answers with what it returned (status 200 for a body). */
async function roundTrip(chunks: string[], headers: Record<string, string> = {}, maxBytes = 64) {
  const server = createServer((req, res) => {
    void readJsonBody(req, maxBytes).then(
      (body) =>
        res
          .writeHead(body.ok ? 200 : body.status, { 'content-type': 'application/json' })
          .end(JSON.stringify(body.ok ? body.value : body.message)),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<{ status: number; body: string } | { error: string }>((resolve) => {
      const req = request({ port, host: '127.0.0.1', method: 'POST', headers }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
      });
      req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
      for (const c of chunks) req.write(c);
      req.end();
    });
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

describe('readJsonBody', () => {
  it('parses a body sent in several chunks', async () => {
    expect(await roundTrip(['{"a":', '[1,2', ']}'])).toEqual({ status: 200, body: '{"a":[1,2]}' });
  });

  it('refuses a declared length over the limit with 413, before reading', async () => {
    const body = JSON.stringify({ pad: 'x'.repeat(100) });
    expect(await roundTrip([body], { 'content-length': String(body.length) })).toMatchObject({ status: 413 });
  });

  it('refuses a chunked body once it passes the limit with 413', async () => {
    expect(await roundTrip(['{"pad":"', 'x'.repeat(50), 'x'.repeat(50), '"}'])).toMatchObject({ status: 413 });
  });

  it('refuses text that is not JSON with 400', async () => {
    expect(await roundTrip(['{"a":'])).toEqual({ status: 400, body: '"request body is not valid JSON"' });
  });

  it('refuses JSON nested deeper than the limit with 400', async () => {
    expect(await roundTrip(['['.repeat(101) + ']'.repeat(101)], {}, 10_000)).toMatchObject({ status: 400 });
  });
});
