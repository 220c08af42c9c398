import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ToolDefinition } from '../../templates/runtime/mcp/types.js';
import { callUpstream } from '../../templates/runtime/http/call-upstream.js';
import {
  startRecordingServer,
  tool,
  upstreamOptions,
  type RecordingServer,
  type Recorded,
} from './support/recording-server.js';

let upstream: RecordingServer;
beforeAll(async () => {
  upstream = await startRecordingServer();
});
afterAll(() => upstream.close());
beforeEach(() => upstream.reset());

const pick = (headers: Recorded['headers'], names: string[]) => Object.fromEntries(names.map((n) => [n, headers[n]]));
const HEADERS = ['accept', 'content-type', 'user-agent', 'authorization', 'cookie', 'x-api-key', 'x-trace'];

describe('callUpstream: the request the upstream receives', () => {
  const cases: Array<
    [
      string,
      { given: { tool: ToolDefinition; args: Record<string, unknown>; env?: Record<string, string> }; want: Recorded },
    ]
  > = [
    [
      'GET with path, query, header and cookie parameters',
      {
        given: {
          tool: tool({
            path: '/pets/{id}',
            accept: 'application/hal+json',
            parameters: [
              { name: 'id', argument: 'id', in: 'path', style: 'simple', explode: false, required: true },
              { name: 'tags', argument: 'tags', in: 'query', style: 'form', explode: true, required: false },
              { name: 'X-Trace', argument: 'trace', in: 'header', style: 'simple', explode: false, required: false },
              { name: 'pref', argument: 'pref', in: 'cookie', style: 'form', explode: false, required: false },
            ],
          }),
          args: { id: 'a/b', tags: ['x y', 'z'], trace: 't-1', pref: 'dark mode' },
        },
        want: {
          method: 'GET',
          url: '/api/v1/pets/a%2Fb?tags=x%20y&tags=z',
          headers: {
            accept: 'application/hal+json',
            'content-type': undefined,
            'user-agent': 'pets-mcp/1.0',
            authorization: undefined,
            cookie: 'pref=dark%20mode',
            'x-api-key': undefined,
            'x-trace': 't-1',
          },
          body: '',
        },
      },
    ],
    [
      'POST JSON with an API key header',
      {
        given: {
          tool: tool(
            {
              method: 'POST',
              body: { argument: 'body', mediaType: 'application/json', encoding: 'json', required: true },
            },
            { security: [[{ scheme: 'headerKey', scopes: [] }]] },
          ),
          args: { body: { name: 'Rex', tags: ['dog'] } },
          env: { KEY: 'k-123' },
        },
        want: {
          method: 'POST',
          url: '/api/v1/pets',
          headers: {
            accept: 'application/json',
            'content-type': 'application/json',
            'user-agent': 'pets-mcp/1.0',
            authorization: undefined,
            cookie: undefined,
            'x-api-key': 'k-123',
            'x-trace': undefined,
          },
          body: '{"name":"Rex","tags":["dog"]}',
        },
      },
    ],
    [
      'PUT form-urlencoded with an API key in the query and a bearer token',
      {
        given: {
          tool: tool(
            {
              method: 'PUT',
              body: {
                argument: 'form',
                mediaType: 'application/x-www-form-urlencoded',
                encoding: 'form',
                required: true,
              },
            },
            {
              security: [
                [
                  { scheme: 'queryKey', scopes: [] },
                  { scheme: 'bearer', scopes: [] },
                ],
              ],
            },
          ),
          args: { form: { name: 'R&x', ids: [1, 2], owner: { city: 'Köln' } } },
          env: { QKEY: 'q k&', TOKEN: 'tok' },
        },
        want: {
          method: 'PUT',
          url: '/api/v1/pets?api_key=q%20k%26',
          headers: {
            accept: 'application/json',
            'content-type': 'application/x-www-form-urlencoded',
            'user-agent': 'pets-mcp/1.0',
            authorization: 'Bearer tok',
            cookie: undefined,
            'x-api-key': undefined,
            'x-trace': undefined,
          },
          body: 'name=R%26x&ids=1&ids=2&owner%5Bcity%5D=K%C3%B6ln',
        },
      },
    ],
    [
      'DELETE with an API key cookie next to a cookie parameter; an inbound-looking Authorization argument is not sent',
      {
        given: {
          tool: tool(
            {
              method: 'DELETE',
              parameters: [
                { name: 'theme', argument: 'theme', in: 'cookie', style: 'form', explode: false, required: false },
                {
                  name: 'Authorization',
                  argument: 'auth',
                  in: 'header',
                  style: 'simple',
                  explode: false,
                  required: false,
                },
              ],
            },
            { security: [[{ scheme: 'cookieKey', scopes: [] }]] },
          ),
          args: { theme: 'a;b', auth: 'Bearer from-the-client' },
          env: { SID: 's=1' },
        },
        want: {
          method: 'DELETE',
          url: '/api/v1/pets',
          headers: {
            accept: 'application/json',
            'content-type': undefined,
            'user-agent': 'pets-mcp/1.0',
            authorization: undefined,
            cookie: 'theme=a%3Bb; sid=s=1',
            'x-api-key': undefined,
            'x-trace': undefined,
          },
          body: '',
        },
      },
    ],
  ];

  it.each(cases)('%s', async (_, { given, want }) => {
    const result = await callUpstream(
      given.tool,
      given.args,
      upstreamOptions(upstream.origin, { env: given.env ?? {} }),
    );
    expect(result).toEqual({ content: [{ type: 'text', text: '{"ok":true}' }] });
    expect(upstream.received).toHaveLength(1);
    const got = upstream.received[0]!;
    expect({ method: got.method, url: got.url, headers: pick(got.headers, HEADERS), body: got.body }).toEqual(want);
  });

  it('POST multipart/form-data with fields and a file, with the boundary from fetch', async () => {
    const t = tool({
      method: 'POST',
      path: '/pets/{id}/photo',
      parameters: [{ name: 'id', argument: 'id', in: 'path', style: 'simple', explode: false, required: true }],
      body: { argument: 'body', mediaType: 'multipart/form-data', encoding: 'multipart', required: true },
    });
    await callUpstream(
      t,
      {
        id: 7,
        body: {
          caption: 'hi',
          meta: { a: 1 },
          photo: { content: 'iVBORw==', filename: 'p.png', contentType: 'image/png' },
        },
      },
      upstreamOptions(upstream.origin),
    );
    const got = upstream.received[0]!;
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(String(got.headers['content-type']))?.[1];
    expect(boundary).toBeDefined();
    const part = (headers: string, content: string) => `--${boundary}\r\n${headers}\r\n\r\n${content}\r\n`;
    expect([got.method, got.url]).toEqual(['POST', '/api/v1/pets/7/photo']);
    expect(got.body).toBe(
      part('Content-Disposition: form-data; name="caption"', 'hi') +
        part('Content-Disposition: form-data; name="meta"', '{"a":1}') +
        part('Content-Disposition: form-data; name="photo"; filename="p.png"\r\nContent-Type: image/png', '\x89PNG') +
        `--${boundary}--\r\n`,
    );
  });
});
