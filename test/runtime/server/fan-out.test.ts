import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDefinition } from '../../../templates/runtime/mcp/types.js';
import type { RunningHttpServer } from '../../../templates/runtime/server/http-server.js';
import { startHttp } from '../../../templates/runtime/server/main.js';
import { REPO } from '../../support/generated-project.js';
import { appFromSpec } from '../../support/in-process-app.js';

// One MCP request may not open more upstream calls at once than MCP_MAX_CONCURRENT_CALLS (issue 9 item 4).

let app: AppDefinition;
let server: RunningHttpServer;
let upstream: Server;
let inFlight = 0;
let peak = 0;
let served = 0;
const held: ServerResponse[] = [];
let release: NodeJS.Timeout | undefined;

beforeAll(async () => {
  app = await appFromSpec(join(REPO, 'fixtures/petstore-3.1.yaml'));
  // Holds every request until no new one has arrived for a moment, so calls that run together overlap here.
  upstream = createServer((req, res) => {
    req.resume();
    inFlight++;
    peak = Math.max(peak, inFlight);
    held.push(res);
    clearTimeout(release);
    release = setTimeout(() => {
      for (const r of held.splice(0)) {
        inFlight--;
        served++;
        r.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[],"next":null}');
      }
    }, 30);
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const address = upstream.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server = await startHttp(
    app,
    {
      MCP_AUTH: 'none',
      HOST: '127.0.0.1',
      PORT: '0',
      UPSTREAM_BASE_URL: `http://127.0.0.1:${port}`,
      MCP_MAX_CONCURRENT_CALLS: '3',
    },
    { log: () => {} },
  );
});
afterAll(async () => {
  await server?.close();
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

describe('upstream fan-out of one request', () => {
  it('runs the calls of a 2025-03-26 batch at most MCP_MAX_CONCURRENT_CALLS at a time, and answers them all', async () => {
    const batch = Array.from({ length: 12 }, (_, i) => ({
      jsonrpc: '2.0',
      id: i + 1,
      method: 'tools/call',
      params: { name: 'listOwnerPets', arguments: { ownerId: `o${i}` } },
    }));
    const response = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-03-26',
      },
      body: JSON.stringify(batch),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    const ids = [...text.matchAll(/"id":(\d+)/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
    expect(ids).toEqual(batch.map((m) => m.id));
    expect(served).toBe(12);
    expect(peak).toBe(3);
  });
});
