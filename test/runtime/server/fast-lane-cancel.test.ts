import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preloadKeepAliveClient } from '../../../templates/runtime/http/upstream-client.js';
import type { RunningHttpServer } from '../../../templates/runtime/server/http-server.js';
import { startHttp } from '../../../templates/runtime/server/main.js';
import { appFromSpec } from '../../support/in-process-app.js';

// The fast lane lends its controller to the upstream call (abort-hooks.ts): a client that goes
// away must still cancel the upstream request, and a slow upstream must still time out and be
// answered, exactly as when each had a controller of its own.

const SPEC = {
  openapi: '3.1.0',
  info: { title: 'Slow', version: '1.0.0' },
  servers: [{ url: 'https://slow.example/v1' }],
  paths: {
    '/slow': {
      get: {
        operationId: 'getSlow',
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
  },
};

let upstream: Server;
let arrived: IncomingMessage[] = [];
let mcp: RunningHttpServer;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fast-cancel-'));
  writeFileSync(join(dir, 'slow.json'), JSON.stringify(SPEC));
  const app = await appFromSpec(join(dir, 'slow.json'));
  // Never answers: the call ends by cancellation or by its deadline.
  upstream = createServer((req) => void arrived.push(req));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as { port: number };
  mcp = await startHttp(
    app,
    {
      HOST: '127.0.0.1',
      PORT: '0',
      MCP_AUTH: 'none',
      UPSTREAM_BASE_URL: `http://127.0.0.1:${port}/v1`,
      UPSTREAM_TIMEOUT_MS: '300',
    },
    { log: () => undefined },
  );
  // The upstream client's library loads at the first call, inside its 300 ms deadline: on a busy
  // machine the deadline could then cancel the request before the first test sees it arrive.
  await preloadKeepAliveClient();
});

afterAll(async () => {
  await mcp.close();
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

const BODY = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'getSlow', arguments: {} },
});

function post(): { req: ReturnType<typeof httpRequest>; answer: Promise<string> } {
  const req = httpRequest(mcp.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
    },
  });
  const answer = new Promise<string>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
  });
  req.end(BODY);
  return { req, answer };
}

describe('fast lane tools/call with a lent controller', () => {
  it('cancels the upstream request when its client goes away', async () => {
    arrived = [];
    const { req, answer } = post();
    answer.catch(() => undefined);
    while (arrived.length === 0) await new Promise((r) => setImmediate(r));
    const upstreamClosed = new Promise<void>((resolve) => arrived[0]!.socket.once('close', () => resolve()));
    req.destroy();
    // Resolves only when the server destroys its upstream request: the socket closes.
    await upstreamClosed;
  });

  it('answers a timed-out call with a tool error (the deadline still fires)', async () => {
    arrived = [];
    const { answer } = post();
    const text = await answer;
    const data = JSON.parse(
      text
        .split('\n')
        .find((l) => l.startsWith('data: '))!
        .slice(6),
    ) as {
      result: { isError: boolean; content: { text: string }[] };
    };
    expect(data.result.isError).toBe(true);
    expect(data.result.content[0]!.text).toMatch(/failed: timed out after 300 ms$/);
  });
});
