import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics.js';
import { packageName } from '../../src/model/build-model.js';
import { defaultBaseUrl } from '../../src/model/servers.js';
import { model, modelOfFixture, operation } from './literal-document.js';

const brief = (diagnostics: readonly Diagnostic[]) =>
  diagnostics.map((d) => [d.code, d.severity, d.pointer, d.message]);

describe('what is not a tool', () => {
  it('fixtures/webhooks-callbacks.yaml: the operation is a tool; the callback and the webhooks are reported', async () => {
    const built = await modelOfFixture('webhooks-callbacks.yaml');
    expect(built.tools.map((t) => t.name)).toEqual(['subscribe']);
    expect(brief(built.diagnostics)).toEqual([
      [
        'CALLBACK_SKIPPED',
        'info',
        '/paths/~1subscriptions/post/callbacks/onEvent',
        'Callback "onEvent" describes requests the API sends; it is not a tool.',
      ],
      ['WEBHOOK_SKIPPED', 'info', '/webhooks', '2 webhooks describe requests the API sends; they are not tools.'],
    ]);
    expect(built.server.defaultBaseUrl).toBe('https://hooks.example.com/v1');
  });

  const noOperations = [
    'NO_OPERATIONS',
    'error',
    '/paths',
    'The document has no operations under `paths`, so there is nothing to turn into tools.',
  ];
  const rows: [string, { given: Record<string, unknown>; want: unknown[][] }][] = [
    ['no paths', { given: {}, want: [noOperations] }],
    ['empty paths', { given: { paths: {} }, want: [noOperations] }],
    [
      'a path item without operations',
      { given: { paths: { '/x': { parameters: [], summary: 'nothing' } } }, want: [noOperations] },
    ],
    [
      'webhooks only',
      {
        given: { webhooks: { ping: { post: operation() } } },
        want: [
          ['WEBHOOK_SKIPPED', 'info', '/webhooks', '1 webhook describes requests the API sends; it is not a tool.'],
          noOperations,
        ],
      },
    ],
  ];
  it.each(rows)('%s: NO_OPERATIONS', (_name, { given, want }) => {
    const built = model(given);
    expect(built.tools).toEqual([]);
    expect(built.defs).toEqual({});
    expect(brief(built.diagnostics)).toEqual(want);
  });

  it('a $ref path item is followed', () => {
    const built = model({
      paths: { '/x': { $ref: '#/components/pathItems/X' } },
      components: { pathItems: { X: { get: operation({ operationId: 'getX' }) } } },
    });
    expect(built.tools.map((t) => [t.name, t.source])).toEqual([['getX', '/paths/~1x/get']]);
  });
});

describe('servers: the default upstream base URL', () => {
  const relative = (url: string) => [
    'SERVER_URL_RELATIVE',
    'warning',
    '/servers/0/url',
    `The first server URL "${url}" is not an absolute http(s) URL.`,
  ];
  const rows: [string, { servers?: unknown; want?: string; diagnostics?: unknown[][] }][] = [
    ['an absolute URL', { servers: [{ url: 'https://api.example.com/v1' }], want: 'https://api.example.com/v1' }],
    ['trailing slashes trimmed', { servers: [{ url: 'http://localhost:8080//' }], want: 'http://localhost:8080' }],
    [
      'variables substituted with their defaults',
      {
        servers: [
          {
            url: 'https://{region}.example.com:{port}/{base}',
            variables: {
              region: { default: 'eu', enum: ['eu', 'us'] },
              port: { default: '8443' },
              base: { default: 'v2' },
            },
          },
        ],
        want: 'https://eu.example.com:8443/v2',
      },
    ],
    [
      'a variable without a default leaves a template: not usable',
      {
        servers: [{ url: 'https://{tenant}.example.com', variables: {} }],
        diagnostics: [relative('https://{tenant}.example.com')],
      },
    ],
    ['a relative URL', { servers: [{ url: '/api/v1' }], diagnostics: [relative('/api/v1')] }],
    [
      'only the first server counts',
      { servers: [{ url: '/api' }, { url: 'https://api.example.com' }], diagnostics: [relative('/api')] },
    ],
    ['not http(s)', { servers: [{ url: 'wss://api.example.com' }], diagnostics: [relative('wss://api.example.com')] }],
    [
      'no servers',
      { diagnostics: [['SERVER_URL_RELATIVE', 'warning', '/servers', 'The document declares no server URL.']] },
    ],
  ];
  it.each(rows)('%s', (_name, { servers, want, diagnostics = [] }) => {
    const found = defaultBaseUrl(servers === undefined ? {} : { servers });
    expect(found.value).toBe(want);
    expect(brief(found.diagnostics)).toEqual(diagnostics);
  });

  it('in the model: no defaultBaseUrl when relative, and the hint says what to set', () => {
    const built = model({ servers: [{ url: '/v1' }], paths: { '/x': { get: operation() } } });
    expect(built.server).toEqual({ name: 'test-api', version: '1.0.0', title: 'Test API' });
    expect(built.diagnostics.map((d) => [d.code, d.hint])).toEqual([
      ['SERVER_URL_RELATIVE', 'Set UPSTREAM_BASE_URL when running the generated server.'],
    ]);
  });
});

describe('server definition', () => {
  it('name from the title, version, trimmed title and description, base URL', () => {
    const built = model({
      info: { title: ' Swagger Petstore ', version: '1.0.27', description: ' Pets. \n' },
      paths: { '/x': { get: operation() } },
    });
    expect(built.server).toEqual({
      name: 'swagger-petstore',
      version: '1.0.27',
      title: 'Swagger Petstore',
      description: 'Pets.',
      defaultBaseUrl: 'https://api.example.com',
    });
  });

  it.each([
    ['Swagger Petstore', 'swagger-petstore'],
    ['Café Büro API v2!', 'cafe-buro-api-v2'],
    ['  --  ', 'api'],
    ['日本語', 'api'],
  ])('packageName(%j) = %s', (title, want) => {
    expect(packageName(title)).toBe(want);
  });
});
