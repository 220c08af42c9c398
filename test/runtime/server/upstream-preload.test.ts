import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { keepAliveClientLoaded } from '../../../templates/runtime/http/upstream-client.js';
import type { RunningHttpServer } from '../../../templates/runtime/server/http-server.js';
import { startHttp } from '../../../templates/runtime/server/main.js';
import { appFromSpec } from '../../support/in-process-app.js';

// Issue 8: undici (~50 ms to load) must delay neither a server's start nor its first tools/list,
// and should not land on its first tools/call either: it is loaded once the first answer is out.
// (vitest gives each test file its own module registry: nothing loaded it before this file.)

const SPEC = {
  openapi: '3.1.0',
  info: { title: 'Preload', version: '1.0.0' },
  servers: [{ url: 'https://api.example/v1' }],
  paths: { '/ping': { get: { operationId: 'ping', responses: { '204': { description: 'ok' } } } } },
};

let mcp: RunningHttpServer;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'upstream-preload-'));
  writeFileSync(join(dir, 'preload.json'), JSON.stringify(SPEC));
  mcp = await startHttp(
    await appFromSpec(join(dir, 'preload.json')),
    { HOST: '127.0.0.1', PORT: '0', MCP_AUTH: 'none', UPSTREAM_BASE_URL: 'http://127.0.0.1:9/v1' },
    { log: () => undefined },
  );
});

afterAll(() => mcp.close());

it('loads the upstream client after the first answer, not at start or before answering', async () => {
  expect(keepAliveClientLoaded()).toBe(false);
  const response = await fetch(mcp.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
  expect(response.status).toBe(200);
  // An SSE event carrying the list.
  expect(await response.text()).toContain('"name":"ping"');
  await vi.waitFor(() => expect(keepAliveClientLoaded()).toBe(true), { timeout: 10_000, interval: 20 });
});
