import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ParameterBinding, ToolDefinition } from '../../templates/runtime/mcp/types.js';
import { callUpstream } from '../../templates/runtime/http/call-upstream.js';
import { serializeParameters } from '../../templates/runtime/http/serialize-parameters.js';
import { binding, codeOf } from './support/parameters.js';
import { startRecordingServer, tool, upstreamOptions, type RecordingServer } from './support/recording-server.js';

// Issue 9 item 2: object-typed parameters must not inject foreign keys nor shadow the server's credential.

let upstream: RecordingServer;
beforeAll(async () => {
  upstream = await startRecordingServer();
});
afterAll(() => upstream.close());
beforeEach(() => upstream.reset());

const filter = (extra: Partial<ParameterBinding> = {}): ParameterBinding => ({
  name: 'filter',
  argument: 'filter',
  in: 'query',
  style: 'form',
  explode: true,
  required: false,
  properties: ['color'],
  ...extra,
});

function secured(scheme: string, parameters: ParameterBinding[]): ToolDefinition {
  return tool({ parameters }, { security: [[{ scheme, scopes: [] }]] });
}

const env = { QKEY: 'server-qkey', SID: 'server-sid', KEY: 'server-hkey' };

describe('callUpstream: caller arguments never shadow a credential', () => {
  const refused: Array<[string, { tool: ToolDefinition; args: Record<string, unknown>; message: RegExp }]> = [
    [
      'a query key equal to the apiKey query name',
      {
        tool: secured('queryKey', [filter({ properties: ['api_key', 'color'] })]),
        args: { filter: { api_key: 'ATTACKER' } },
        message: /query parameter "api_key", which carries the server's own credential/,
      },
    ],
    [
      'the same key in another case',
      {
        tool: secured('queryKey', [filter({ properties: ['API_KEY'] })]),
        args: { filter: { API_KEY: 'ATTACKER' } },
        message: /"API_KEY", which carries the server's own credential/,
      },
    ],
    [
      'a free-form object (no declared properties)',
      {
        tool: secured('queryKey', [filter({ properties: undefined })]),
        args: { filter: { api_key: 'ATTACKER' } },
        message: /query parameter "api_key"/,
      },
    ],
    [
      'a query parameter the spec itself names like the credential',
      {
        tool: secured('queryKey', [
          { name: 'api_key', argument: 'k', in: 'query', style: 'form', explode: true, required: false },
        ]),
        args: { k: 'ATTACKER' },
        message: /query parameter "api_key"/,
      },
    ],
    [
      'an exploded cookie object naming the credential cookie',
      {
        tool: secured('cookieKey', [{ ...filter({ properties: undefined }), in: 'cookie' }]),
        args: { filter: { sid: 'ATTACKER' } },
        message: /cookie cookie "sid"|cookie "sid"/,
      },
    ],
    [
      'a header parameter named like the apiKey header, in another case',
      {
        tool: secured('headerKey', [
          { name: 'x-api-key', argument: 'h', in: 'header', style: 'simple', explode: false, required: false },
        ]),
        args: { h: 'ATTACKER' },
        message: /header parameter "x-api-key" cannot be set by a caller/,
      },
    ],
  ];

  it.each(refused)('refuses %s with a tool error and sends nothing', async (_, { tool: t, args, message }) => {
    const result = await callUpstream(t, args, upstreamOptions(upstream.origin, { env }));
    expect(result.isError).toBe(true);
    expect(result.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(message) });
    expect(JSON.stringify(result)).not.toContain('server-');
    expect(upstream.received).toHaveLength(0);
  });

  it.each(['form', 'multipart'] as const)(
    'refuses a %s body field named like the query credential (merged by PHP, Rails)',
    async (encoding) => {
      const t = tool(
        {
          method: 'POST',
          body: {
            argument: 'body',
            mediaType: encoding === 'form' ? 'application/x-www-form-urlencoded' : 'multipart/form-data',
            encoding,
            required: true,
          },
        },
        { security: [[{ scheme: 'queryKey', scopes: [] }]] },
      );
      const result = await callUpstream(
        t,
        { body: { name: 'x', Api_Key: 'ATTACKER' } },
        upstreamOptions(upstream.origin, { env }),
      );
      expect(result.content[0]).toEqual({
        type: 'text',
        text: 'Cannot call op: the body field "Api_Key" would shadow the server\'s own credential',
      });
      expect(upstream.received).toHaveLength(0);
    },
  );

  it('sends a JSON body with such a property: its names are the API data', async () => {
    const t = tool(
      { method: 'POST', body: { argument: 'body', mediaType: 'application/json', encoding: 'json', required: true } },
      { security: [[{ scheme: 'queryKey', scopes: [] }]] },
    );
    const result = await callUpstream(t, { body: { api_key: 'x' } }, upstreamOptions(upstream.origin, { env }));
    expect(result.isError).toBeUndefined();
    expect(upstream.received).toHaveLength(1);
  });

  it('refuses the credential name even when its key is not configured', async () => {
    const result = await callUpstream(
      secured('queryKey', [filter({ properties: undefined })]),
      { filter: { api_key: 'ATTACKER' } },
      upstreamOptions(upstream.origin),
    );
    expect(result.isError).toBe(true);
    expect(upstream.received).toHaveLength(0);
  });

  it('sends declared keys beside the credential', async () => {
    const result = await callUpstream(
      secured('queryKey', [filter()]),
      { filter: { color: 'red' } },
      upstreamOptions(upstream.origin, { env }),
    );
    expect(result.isError).toBeUndefined();
    expect(upstream.received.map((r) => r.url)).toEqual(['/api/v1/pets?color=red&api_key=server-qkey']);
  });

  it('refuses a key the parameter does not declare', async () => {
    const result = await callUpstream(
      secured('queryKey', [filter()]),
      { filter: { color: 'red', admin: 'true' } },
      upstreamOptions(upstream.origin, { env }),
    );
    expect(result).toEqual({
      isError: true,
      content: [
        { type: 'text', text: 'Cannot call op: parameter "filter" has no property "admin"; it declares "color"' },
      ],
    });
    expect(upstream.received).toHaveLength(0);
  });
});

describe('serializeParameters: declared properties and reserved names', () => {
  const reserved = { query: new Set(['api_key']), cookie: new Set(['sid']), header: new Set(['x-api-key']) };
  const rows: Array<[string, { p: ParameterBinding; value: unknown; want: string | undefined }]> = [
    ['form* declared keys only', { p: filter(), value: { color: 'red' }, want: undefined }],
    ['form* undeclared key', { p: filter(), value: { color: 'red', admin: true }, want: 'invalid_argument' }],
    [
      'form (not exploded) undeclared key',
      { p: filter({ explode: false }), value: { admin: 'x' }, want: 'invalid_argument' },
    ],
    [
      'deepObject undeclared key',
      { p: filter({ style: 'deepObject' }), value: { admin: 'x' }, want: 'invalid_argument' },
    ],
    [
      'deepObject key equal to the credential stays under its parameter',
      { p: filter({ style: 'deepObject', properties: undefined }), value: { api_key: 'x' }, want: undefined },
    ],
    ['path object undeclared key', { p: { ...filter(), in: 'path' }, value: { admin: 'x' }, want: 'invalid_argument' }],
    [
      'cookie form* reserved name',
      { p: { ...filter({ properties: undefined }), in: 'cookie' }, value: { SID: 'x' }, want: 'reserved_name' },
    ],
    [
      'header named Cookie',
      { p: { ...filter(), name: 'Cookie', in: 'header', style: 'simple' }, value: 'sid=x', want: 'reserved_name' },
    ],
    [
      'header named Host',
      { p: { ...filter(), name: 'host', in: 'header', style: 'simple' }, value: 'evil.example', want: 'reserved_name' },
    ],
    [
      'header value outside Latin-1 (fetch would throw)',
      { p: { ...filter(), name: 'X-Trace', in: 'header', style: 'simple' }, value: 'a𝒳', want: 'invalid_header_value' },
    ],
    [
      'header value in Latin-1',
      { p: { ...filter(), name: 'X-Trace', in: 'header', style: 'simple' }, value: 'café', want: undefined },
    ],
    [
      'header named Transfer-Encoding',
      {
        p: { ...filter(), name: 'Transfer-Encoding', in: 'header', style: 'simple' },
        value: 'chunked',
        want: 'reserved_name',
      },
    ],
  ];
  it.each(rows)('%s', (_, { p, value, want }) => {
    const code = codeOf(() => serializeParameters(binding([p], '/x'), { filter: value }, reserved));
    expect(code?.split(':')[0]).toBe(want);
  });

  it('sends a deepObject with declared keys under its own name', () => {
    const out = serializeParameters(
      binding([filter({ style: 'deepObject' })], '/x'),
      { filter: { color: 'red' } },
      reserved,
    );
    expect(out.query).toBe('filter[color]=red');
  });
});
