import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callUpstream, resolveRequestUrl } from '../../templates/runtime/http/call-upstream.js';
import { startRecordingServer, tool, upstreamOptions, type RecordingServer } from './support/recording-server.js';

let upstream: RecordingServer;
beforeAll(async () => {
  upstream = await startRecordingServer();
});
afterAll(() => upstream.close());
beforeEach(() => upstream.reset());

describe('callUpstream: the base URL cannot be escaped', () => {
  const idTool = (path: string) =>
    tool({
      path,
      parameters: [{ name: 'id', argument: 'id', in: 'path', style: 'simple', explode: false, required: true }],
    });
  const sent: Array<[string, { given: { path: string; id: string }; want: string }]> = [
    ['"a..b/c" stays one segment', { given: { path: '/files/{id}', id: 'a..b/c' }, want: '/api/v1/files/a..b%2Fc' }],
    ['"a?b#c" stays in the path', { given: { path: '/files/{id}', id: 'a?b#c' }, want: '/api/v1/files/a%3Fb%23c' }],
    ['"%2F" is not decoded', { given: { path: '/files/{id}', id: '%2F' }, want: '/api/v1/files/%252F' }],
    [
      'CRLF is encoded',
      { given: { path: '/files/{id}', id: 'x\r\nHost: evil' }, want: '/api/v1/files/x%0D%0AHost%3A%20evil' },
    ],
    [
      '"//evil.example" stays on the origin',
      { given: { path: '/{id}', id: '/evil.example' }, want: '/api/v1/%2Fevil.example' },
    ],
  ];
  it.each(sent)('%s', async (_, { given, want }) => {
    await callUpstream(idTool(given.path), { id: given.id }, upstreamOptions(upstream.origin));
    expect(upstream.received.map((r) => r.url)).toEqual([want]);
  });

  const refused: Array<[string, { given: { path: string; id: string }; want: string }]> = [
    [
      '".." as a whole segment',
      {
        given: { path: '/files/{id}', id: '..' },
        want: 'Cannot call op: a path parameter must not form a "." or ".." path segment',
      },
    ],
    [
      '"%2E%2E"-equivalent dot segment from the template',
      {
        given: { path: '/files/%2e%2E/{id}', id: 'x' },
        want: 'Cannot call op: a path parameter must not form a "." or ".." path segment',
      },
    ],
    [
      'a template that climbs out with backslashes',
      {
        given: { path: '/x\\..\\..\\..\\admin/{id}', id: 'x' },
        want: 'Cannot call op: a path parameter must not form a "." or ".." path segment',
      },
    ],
    // A proxy that decodes once before normalising (nginx) would climb out of the base path.
    ...['../admin', '..%2Fadmin', '..\\admin', '．．', '‥', '..;', '%2e%2e'].map(
      (id): [string, { given: { path: string; id: string }; want: string }] => [
        `${JSON.stringify(id)}, a dot segment once decoded (once or more)`,
        {
          given: { path: '/files/{id}', id },
          want: 'Cannot call op: a path parameter must not form a "." or ".." path segment',
        },
      ],
    ),
  ];
  it.each(refused)('%s', async (_, { given, want }) => {
    expect(await callUpstream(idTool(given.path), { id: given.id }, upstreamOptions(upstream.origin))).toEqual({
      content: [{ type: 'text', text: want }],
      isError: true,
    });
    expect(upstream.received).toEqual([]);
  });

  const urls: Array<[string, { given: { base: string; path: string }; want: string }]> = [
    [
      'prefix with trailing slash',
      { given: { base: 'https://api.example/v1/', path: '/pets' }, want: 'https://api.example/v1/pets' },
    ],
    [
      'a path without a leading slash cannot join the prefix',
      { given: { base: 'https://api.example/v1', path: '@evil.example' }, want: 'base_url_escape' },
    ],
    [
      'userinfo trick without a prefix',
      { given: { base: 'https://api.example', path: '@evil.example/' }, want: 'base_url_escape' },
    ],
    ['dot segments', { given: { base: 'https://api.example/v1', path: '/a/../../admin' }, want: 'base_url_escape' }],
    ['a sibling prefix', { given: { base: 'https://api.example/v1', path: '2/admin' }, want: 'base_url_escape' }],
    [
      'a base URL with a query',
      { given: { base: 'https://api.example/v1?k=1', path: '/pets' }, want: 'invalid_base_url' },
    ],
    [
      'a base URL with credentials',
      { given: { base: 'https://u:p@api.example/', path: '/pets' }, want: 'invalid_base_url' },
    ],
    ['a non-http base URL', { given: { base: 'file:///etc/', path: 'passwd' }, want: 'invalid_base_url' }],
  ];
  it.each(urls)('resolveRequestUrl: %s', (_, { given, want }) => {
    let got: string;
    try {
      got = resolveRequestUrl(given.base, given.path, '').href;
    } catch (error) {
      got = (error as { code: string }).code;
    }
    expect(got).toBe(want);
  });
});
