import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ToolDefinition } from '../../templates/runtime/mcp/types.js';
import { callUpstream } from '../../templates/runtime/http/call-upstream.js';
import {
  reply,
  startRecordingServer,
  tool,
  upstreamOptions,
  type Handler,
  type RecordingServer,
} from './support/recording-server.js';

let upstream: RecordingServer;
beforeAll(async () => {
  upstream = await startRecordingServer();
});
afterAll(() => upstream.close());
beforeEach(() => upstream.reset());

describe('callUpstream: responses', () => {
  const withSchema = { outputSchema: { type: 'object' } };
  const cases: Array<[string, { given: { respond: Handler; tool?: Partial<ToolDefinition> }; want: unknown }]> = [
    [
      'JSON object with an output schema',
      {
        given: {
          respond: reply(200, 'application/json; charset=utf-8', '{ "id": 1,\n "n": "x" }'),
          tool: withSchema,
        },
        want: { content: [{ type: 'text', text: '{"id":1,"n":"x"}' }], structuredContent: { id: 1, n: 'x' } },
      },
    ],
    [
      'JSON object without an output schema',
      {
        given: { respond: reply(200, 'application/json', '{"id":1}') },
        want: { content: [{ type: 'text', text: '{"id":1}' }] },
      },
    ],
    [
      'JSON array with an output schema',
      {
        given: { respond: reply(200, 'application/problem+json', '[1, 2]'), tool: withSchema },
        want: { content: [{ type: 'text', text: '[1,2]' }] },
      },
    ],
    [
      'unparsable JSON',
      {
        given: { respond: reply(200, 'application/json', '{nope') },
        want: { content: [{ type: 'text', text: '{nope' }] },
      },
    ],
    [
      'text',
      {
        given: { respond: reply(200, 'text/csv', 'a,b\n1,2') },
        want: { content: [{ type: 'text', text: 'a,b\n1,2' }] },
      },
    ],
    [
      'an image: MCP image content',
      {
        given: { respond: reply(200, 'image/png', Buffer.from([0x89, 0x50])) },
        want: { content: [{ type: 'image', data: 'iVA=', mimeType: 'image/png' }] },
      },
    ],
    [
      'audio: MCP audio content, parameters dropped from the type',
      {
        given: { respond: reply(200, 'audio/wav; rate=8000', Buffer.from('RIFF')) },
        want: { content: [{ type: 'audio', data: 'UklGRg==', mimeType: 'audio/wav' }] },
      },
    ],
    [
      'other binary, past the former 64 KiB inline limit: an embedded resource named by the request URL without its query',
      {
        given: { respond: reply(200, 'application/pdf', Buffer.alloc(70_000, 1)) },
        want: {
          content: [
            {
              type: 'resource',
              resource: {
                uri: 'URL/api/v1/pets',
                mimeType: 'application/pdf',
                blob: Buffer.alloc(70_000, 1).toString('base64'),
              },
            },
          ],
        },
      },
    ],
    [
      'no content',
      {
        given: { respond: reply(204, undefined, '') },
        want: { content: [{ type: 'text', text: 'HTTP 204 No Content' }] },
      },
    ],
    [
      '404 with a JSON body',
      {
        given: { respond: reply(404, 'application/json', '{"error":"no such pet"}\n') },
        want: { content: [{ type: 'text', text: 'HTTP 404 Not Found\n{"error":"no such pet"}' }], isError: true },
      },
    ],
    [
      '500 with a long body is trimmed',
      {
        given: { respond: reply(500, 'text/html', 'x'.repeat(5000)) },
        want: {
          content: [{ type: 'text', text: `HTTP 500 Internal Server Error\n${'x'.repeat(2048)}…` }],
          isError: true,
        },
      },
    ],
    [
      'a redirect is not followed',
      {
        given: { respond: reply(302, undefined, '', { location: 'https://evil.example/steal' }) },
        want: {
          content: [{ type: 'text', text: 'HTTP 302 Found (redirect to https://evil.example/steal not followed)' }],
          isError: true,
        },
      },
    ],
  ];
  it.each(cases)('%s', async (_, { given, want }) => {
    upstream.respond = given.respond;
    const got = await callUpstream(
      tool({}, given.tool),
      {},
      upstreamOptions(upstream.origin, { env: { SID: 'a-secret' } }),
    );
    expect(JSON.parse(JSON.stringify(got).replaceAll(upstream.origin, 'URL'))).toEqual(want);
    expect(upstream.received).toHaveLength(1);
  });

  it('refuses a binary body cut at the response cap, as any other', async () => {
    upstream.respond = reply(200, 'image/png', Buffer.alloc(2000));
    const got = await callUpstream(tool({}), {}, upstreamOptions(upstream.origin, { maxResponseBytes: 1000 }));
    expect(got).toEqual({
      isError: true,
      content: [
        {
          type: 'text',
          text: 'The upstream response (HTTP 200 OK, image/png) exceeds the 1000-byte limit and was truncated.',
        },
      ],
    });
  });

  it('reports missing credentials when the upstream answers 401', async () => {
    upstream.respond = reply(401, 'application/json', '{"message":"unauthorized"}');
    const t = tool({}, { security: [[{ scheme: 'bearer', scopes: [] }], [{ scheme: 'headerKey', scopes: [] }]] });
    expect(await callUpstream(t, {}, upstreamOptions(upstream.origin))).toEqual({
      content: [
        { type: 'text', text: 'HTTP 401 Unauthorized\n{"message":"unauthorized"}' },
        { type: 'text', text: 'No upstream credentials are configured; set TOKEN or KEY.' },
      ],
      isError: true,
    });
    expect(upstream.received[0]!.headers['authorization']).toBeUndefined();
  });

  it('stops reading past maxResponseBytes and reports the truncation', async () => {
    upstream.respond = (_, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'y'.repeat(16_384);
      for (let i = 0; i < 64; i++) res.write(chunk);
      res.end();
    };
    expect(await callUpstream(tool({}), {}, upstreamOptions(upstream.origin, { maxResponseBytes: 1000 }))).toEqual({
      content: [
        {
          type: 'text',
          text: 'The upstream response (HTTP 200 OK, text/plain) exceeds the 1000-byte limit and was truncated.',
        },
        { type: 'text', text: 'y'.repeat(1000) },
      ],
      isError: true,
    });
  });
});

describe('callUpstream: failures', () => {
  const keyTool = tool({ path: '/slow' }, { security: [[{ scheme: 'queryKey', scopes: [] }]] });

  it('times out on a server that never answers, without the query or the key in the message', async () => {
    upstream.respond = () => undefined;
    const result = await callUpstream(
      keyTool,
      {},
      upstreamOptions(upstream.origin, { timeoutMs: 200, env: { QKEY: 'sekret-key' } }),
    );
    expect(result).toEqual({
      content: [
        { type: 'text', text: `Upstream request GET ${upstream.origin}/api/v1/slow failed: timed out after 200 ms` },
      ],
      isError: true,
    });
    expect(upstream.received[0]!.url).toBe('/api/v1/slow?api_key=sekret-key');
  });

  it('times out while the body is still streaming', async () => {
    upstream.respond = (_, res) => res.writeHead(200, { 'content-type': 'text/plain' }).write('partial');
    const result = await callUpstream(
      tool({ path: '/drip' }),
      {},
      upstreamOptions(upstream.origin, { timeoutMs: 200 }),
    );
    expect(result).toEqual({
      content: [
        { type: 'text', text: `Upstream request GET ${upstream.origin}/api/v1/drip failed: timed out after 200 ms` },
      ],
      isError: true,
    });
  });

  it('reports a refused connection by its code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await callUpstream(
      keyTool,
      {},
      upstreamOptions(upstream.origin, { baseUrl: `http://127.0.0.1:${port}`, env: { QKEY: 'sekret-key' } }),
    );
    expect(result).toEqual({
      content: [{ type: 'text', text: `Upstream request GET http://127.0.0.1:${port}/slow failed: ECONNREFUSED` }],
      isError: true,
    });
  });

  it('redacts credentials from a failure reported by fetch', async () => {
    const failing: typeof fetch = async () => {
      throw new TypeError('fetch failed', { cause: new Error('bad header value sekret-key') });
    };
    const result = await callUpstream(
      keyTool,
      {},
      upstreamOptions(upstream.origin, { fetch: failing, env: { QKEY: 'sekret-key' } }),
    );
    expect(result).toEqual({
      content: [
        {
          type: 'text',
          text: `Upstream request GET ${upstream.origin}/api/v1/slow failed: bad header value [redacted]`,
        },
      ],
      isError: true,
    });
  });
});
