import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDefinition, ToolDefinition } from '../../templates/runtime/mcp/types.js';
import { loadConfig } from '../../templates/runtime/server/config.js';
import { createServerFactory } from '../../templates/runtime/server/create-server.js';
import { startHttpServer, type RunningHttpServer } from '../../templates/runtime/server/http-server.js';

// Issue 9, conformance (tools-call-image, tools-call-audio): a binary upstream answer reaches a real
// MCP client as image, audio or embedded-resource content, not as a base64 text note.

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
const WAV = Buffer.from('RIFF\u0000\u0001WAVE', 'latin1');
const PDF = Buffer.from('%PDF-1.7\n\u00e2\u00e3', 'latin1');
const BODIES: Record<string, [string, Buffer]> = {
  '/image': ['image/png', PNG],
  '/audio': ['audio/wav', WAV],
  '/file': ['application/pdf', PDF],
};

const tool = (name: string, path: string): ToolDefinition => ({
  name,
  description: name,
  inputSchema: { type: 'object', properties: {}, additionalProperties: false },
  annotations: { readOnlyHint: true },
  http: { method: 'GET', path, parameters: [] },
  security: [],
  access: { scopes: [[]] },
  tags: [],
  source: `#/paths/${path}`,
});

const app: AppDefinition = {
  server: { name: 'binary', version: '1.0.0' },
  tools: [tool('get_image', '/image'), tool('get_audio', '/audio'), tool('get_file', '/file')],
  defs: {},
  schemes: {},
  authorization: { scopesSupported: [], scopeImplies: {}, toolsList: 'all' },
};

let upstream: Server;
let server: RunningHttpServer;
let client: Client;
let base: string;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const [type, body] = BODIES[(req.url ?? '').replace('/api/v1', '')] ?? ['text/plain', Buffer.from('no')];
    res.writeHead(200, { 'content-type': type }).end(body);
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/api/v1`;
  const env = { MCP_TRANSPORT: 'http', MCP_AUTH: 'none', HOST: '127.0.0.1', PORT: '0', UPSTREAM_BASE_URL: base };
  const config = loadConfig(app, env);
  server = await startHttpServer(
    config,
    createServerFactory({ app, upstream: { baseUrl: config.upstreamBaseUrl, env } }),
    () => {},
  );
  client = new Client({ name: 'binary', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
});
afterAll(async () => {
  await client?.close();
  await server?.close();
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

describe('binary upstream answers through a live server', () => {
  it.each([
    ['get_image', { type: 'image', data: PNG.toString('base64'), mimeType: 'image/png' }],
    ['get_audio', { type: 'audio', data: WAV.toString('base64'), mimeType: 'audio/wav' }],
    [
      'get_file',
      { type: 'resource', resource: { uri: 'BASE/file', mimeType: 'application/pdf', blob: PDF.toString('base64') } },
    ],
  ])('%s', async (name, want) => {
    const result = await client.callTool({ name, arguments: {} });
    expect(result.isError ?? false).toBe(false);
    expect(JSON.parse(JSON.stringify(result.content).replaceAll(base, 'BASE'))).toEqual([want]);
  });
});
