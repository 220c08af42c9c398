import { describe, expect, it } from 'vitest';
import type { SecurityRequirement } from '../../templates/runtime/mcp/types.js';
import { envName } from '../../src/model/security.js';
import type { SecuritySchemeModel } from '../../src/model/types.js';
import { model, modelOfFixture, operation, toolNamed } from './literal-document.js';

const securitySchemes = {
  key: { type: 'apiKey', in: 'query', name: 'api_key' },
  bearer: { type: 'http', scheme: 'bearer' },
  oauth: {
    type: 'oauth2',
    flows: { implicit: { authorizationUrl: 'https://a.example.com', scopes: { read: 'r', write: 'w' } } },
  },
};

/** GET /x with `security` as given (absent when undefined) under `documentSecurity`. */
function securityOf(security: unknown, documentSecurity?: unknown) {
  const built = model({
    ...(documentSecurity !== undefined ? { security: documentSecurity } : {}),
    paths: { '/x': { get: operation(security !== undefined ? { security } : {}) } },
    components: { securitySchemes },
  });
  const tool = built.tools[0];
  return {
    security: tool?.security,
    source: tool?.securitySource,
    diagnostics: built.diagnostics.map((d) => [d.code, d.pointer]),
  };
}

type Want = {
  security: SecurityRequirement[];
  source: 'operation' | 'document' | 'none';
  diagnostics?: [string, string][];
};
const req = (scheme: string, scopes: string[] = []) => ({ scheme, scopes });

describe('security: OR of ANDs, exactly as the document states it', () => {
  const rows: [string, { op?: unknown; doc?: unknown; want: Want }][] = [
    ['none anywhere: public, from nowhere', { want: { security: [], source: 'none' } }],
    [
      'the document default applies when the operation has none',
      { doc: [{ bearer: [] }], want: { security: [[req('bearer')]], source: 'document' } },
    ],
    [
      'the operation replaces the default',
      { doc: [{ bearer: [] }], op: [{ key: [] }], want: { security: [[req('key')]], source: 'operation' } },
    ],
    [
      'security: [] on the operation: public despite the default',
      { doc: [{ bearer: [] }], op: [], want: { security: [], source: 'operation' } },
    ],
    ['security: [] on the document: public', { doc: [], want: { security: [], source: 'document' } }],
    [
      '[{}] among alternatives: authentication optional, so public',
      { op: [{ oauth: ['read'] }, {}], want: { security: [], source: 'operation' } },
    ],
    [
      'alternatives kept in order, AND-ed schemes kept together with their scopes',
      {
        op: [{ oauth: ['read', 'write'], key: [] }, { bearer: [] }],
        want: { security: [[req('oauth', ['read', 'write']), req('key')], [req('bearer')]], source: 'operation' },
      },
    ],
    [
      'an unknown scheme: reported, its alternative dropped',
      {
        op: [{ bearer: [], nope: [] }, { key: [] }],
        want: {
          security: [[req('key')]],
          source: 'operation',
          diagnostics: [['SECURITY_SCHEME_UNKNOWN', '/paths/~1x/get/security/0']],
        },
      },
    ],
    [
      'only unknown schemes: reported, but kept, so the operation does not become public',
      {
        op: [{ nope: ['a'] }],
        want: {
          security: [[req('nope', ['a'])]],
          source: 'operation',
          diagnostics: [['SECURITY_SCHEME_UNKNOWN', '/paths/~1x/get/security/0']],
        },
      },
    ],
    [
      'an unknown scheme beside {}: still public',
      {
        op: [{ nope: [] }, {}],
        want: {
          security: [],
          source: 'operation',
          diagnostics: [['SECURITY_SCHEME_UNKNOWN', '/paths/~1x/get/security/0']],
        },
      },
    ],
  ];
  it.each(rows)('%s', (_name, { op, doc, want }) => {
    expect(securityOf(op, doc)).toEqual({ diagnostics: [], ...want });
  });

  it('an unknown scheme in the document default is reported once, not once per operation', () => {
    const built = model({
      security: [{ nope: [] }],
      paths: { '/a': { get: operation(), post: operation() }, '/b': { get: operation() } },
      components: { securitySchemes },
    });
    expect(built.diagnostics.map((d) => [d.code, d.pointer, d.message])).toEqual([
      [
        'SECURITY_SCHEME_UNKNOWN',
        '/security/0',
        'Security requirement names "nope", which is not in components.securitySchemes; no other alternative is left, so it is kept and calls fail until the scheme is declared.',
      ],
    ]);
    for (const tool of built.tools) expect(tool.security).toEqual([[req('nope')]]);
  });
});

describe('security schemes and the environment variables they read', () => {
  it.each([
    ['petstore_auth', 'PETSTORE_AUTH'],
    ['bearerAuth', 'BEARER_AUTH'],
    ['api-key', 'API_KEY'],
    ['OAuth2', 'OAUTH2'],
    ['myAPIKey', 'MY_APIKEY'],
    ['v2.token', 'V2_TOKEN'],
    ['---', 'SCHEME'],
  ])('envName(%s) = %s', (name, want) => {
    expect(envName(name)).toBe(want);
  });

  it('fixtures/security-requirements.yaml: every scheme type', async () => {
    const built = await modelOfFixture('security-requirements.yaml');
    const at = (name: string) => `/components/securitySchemes/${name}`;
    const want: SecuritySchemeModel[] = [
      {
        name: 'apiKeyAuth',
        source: at('apiKeyAuth'),
        type: 'apiKey',
        scopes: [],
        upstream: { type: 'apiKey', in: 'header', name: 'X-API-Key', env: 'UPSTREAM_API_KEY_AUTH' },
      },
      {
        name: 'basicAuth',
        source: at('basicAuth'),
        type: 'http',
        scopes: [],
        upstream: { type: 'http', scheme: 'basic', env: 'UPSTREAM_BASIC_AUTH' },
      },
      {
        name: 'bearerAuth',
        source: at('bearerAuth'),
        type: 'http',
        scopes: [],
        upstream: { type: 'http', scheme: 'bearer', env: 'UPSTREAM_BEARER_AUTH' },
      },
      { name: 'digestAuth', source: at('digestAuth'), type: 'http', scopes: [] },
      { name: 'mtls', source: at('mtls'), type: 'mutualTLS', scopes: [] },
      {
        name: 'oauth',
        source: at('oauth'),
        type: 'oauth2',
        scopes: ['admin', 'read', 'write'],
        upstream: {
          type: 'oauth2',
          scopes: ['admin', 'read', 'write'],
          env: 'UPSTREAM_OAUTH',
          tokenUrl: 'https://auth.example.com/token',
        },
      },
      {
        name: 'oidc',
        source: at('oidc'),
        type: 'openIdConnect',
        scopes: [],
        upstream: {
          type: 'openIdConnect',
          openIdConnectUrl: 'https://id.example.com/.well-known/openid-configuration',
          env: 'UPSTREAM_OIDC',
        },
      },
    ];
    expect(built.schemes).toEqual(want);
  });

  it('fixtures/security-requirements.yaml: requirements per tool and diagnostics', async () => {
    const built = await modelOfFixture('security-requirements.yaml');
    const rows: [string, Pick<Want, 'security' | 'source'>][] = [
      ['usesDefault', { security: [[req('bearerAuth')]], source: 'document' }],
      ['isPublic', { security: [], source: 'operation' }],
      ['authOptional', { security: [], source: 'operation' }],
      [
        'listFiles',
        {
          security: [[req('oauth', ['read']), req('apiKeyAuth')], [req('oidc', ['openid', 'files'])]],
          source: 'operation',
        },
      ],
      ['hasTypo', { security: [[req('basicAuth')]], source: 'operation' }],
    ];
    for (const [name, want] of rows) {
      const tool = toolNamed(built, name);
      expect({ security: tool.security, source: tool.securitySource }, name).toEqual(want);
    }
    expect(built.diagnostics.map((d) => [d.code, d.severity, d.pointer, d.message])).toEqual([
      [
        'SECURITY_SCHEME_UNSUPPORTED',
        'warning',
        '/components/securitySchemes/digestAuth',
        'Security scheme "digestAuth" (http digest) cannot be satisfied with credentials from the environment; operations that need only it are called without credentials.',
      ],
      [
        'SECURITY_SCHEME_UNSUPPORTED',
        'warning',
        '/components/securitySchemes/mtls',
        'Security scheme "mtls" (mutualTLS) cannot be satisfied with credentials from the environment; operations that need only it are called without credentials.',
      ],
      [
        'SECURITY_SCHEME_UNKNOWN',
        'warning',
        '/paths/~1typo/get/security/0',
        'Security requirement names "apiKeyAuht", which is not in components.securitySchemes; that alternative is dropped.',
      ],
    ]);
  });
});

describe('security schemes never share an environment variable', () => {
  const schemesOf = (securitySchemes: Record<string, unknown>) => {
    const built = model({
      paths: { '/x': { get: operation({ security: Object.keys(securitySchemes).map((name) => ({ [name]: [] })) }) } },
      components: { securitySchemes },
    });
    return {
      env: Object.fromEntries(built.schemes.map((s) => [s.name, s.upstream?.env])),
      renamed: built.diagnostics.filter((d) => d.code === 'SECURITY_SCHEME_ENV_RENAMED'),
    };
  };

  it('names that differ only in case or punctuation: the later one in name order reads <prefix>_2, _3', () => {
    const { env, renamed } = schemesOf({
      api_key: { type: 'apiKey', in: 'header', name: 'X-Key' },
      apiKey: { type: 'apiKey', in: 'query', name: 'key' },
      'api-key': { type: 'http', scheme: 'bearer' },
    });
    expect(env).toEqual({ 'api-key': 'UPSTREAM_API_KEY', apiKey: 'UPSTREAM_API_KEY_2', api_key: 'UPSTREAM_API_KEY_3' });
    expect(renamed.map((d) => [d.pointer, d.severity])).toEqual([
      ['/components/securitySchemes/apiKey', 'warning'],
      ['/components/securitySchemes/api_key', 'warning'],
    ]);
    expect(renamed[0]!.message).toBe(
      'Security scheme "apiKey" would read UPSTREAM_API_KEY, which security scheme "api-key" reads too; its credentials are read from UPSTREAM_API_KEY_2 instead.',
    );
  });

  it("a prefix plus a suffix that is another scheme's variable, or a server setting", () => {
    const { env, renamed } = schemesOf({
      base_url: { type: 'apiKey', in: 'header', name: 'X-Key' },
      oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://a.example.com/t', scopes: {} } } },
      oauth_client_id: { type: 'apiKey', in: 'header', name: 'X-Client' },
    });
    expect(env).toEqual({
      base_url: 'UPSTREAM_BASE_URL_2',
      oauth: 'UPSTREAM_OAUTH',
      oauth_client_id: 'UPSTREAM_OAUTH_CLIENT_ID_2',
    });
    expect(renamed.map((d) => d.message)).toEqual([
      'Security scheme "base_url" would read UPSTREAM_BASE_URL, which the server\'s own setting reads too; its credentials are read from UPSTREAM_BASE_URL_2 instead.',
      'Security scheme "oauth_client_id" would read UPSTREAM_OAUTH_CLIENT_ID, which security scheme "oauth" reads too; its credentials are read from UPSTREAM_OAUTH_CLIENT_ID_2 instead.',
    ]);
  });

  it('distinct names keep their plain prefix and no warning', () => {
    const { env, renamed } = schemesOf({
      key: { type: 'apiKey', in: 'query', name: 'api_key' },
      bearer: { type: 'http', scheme: 'bearer' },
      basic: { type: 'http', scheme: 'basic' },
    });
    expect(env).toEqual({ basic: 'UPSTREAM_BASIC', bearer: 'UPSTREAM_BEARER', key: 'UPSTREAM_KEY' });
    expect(renamed).toEqual([]);
  });
});

describe('an API key may not go into a header the server or node:http sets', () => {
  it.each(['Host', 'Transfer-Encoding', 'content-length', 'Cookie', 'Content-Type', 'Accept', 'Connection'])(
    'apiKey in header %s: unsupported, with the reason',
    (header) => {
      const built = model({
        paths: { '/x': { get: operation({ security: [{ key: [] }] }) } },
        components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: header } } },
      });
      expect(built.schemes[0]?.upstream).toBeUndefined();
      const warning = built.diagnostics.find((d) => d.code === 'SECURITY_SCHEME_UNSUPPORTED');
      expect(warning?.message).toContain(`its header "${header}" is one the server and node:http set themselves`);
    },
  );

  it('Authorization and custom headers stay supported', () => {
    const built = model({
      paths: { '/x': { get: operation({ security: [{ a: [], b: [] }] }) } },
      components: {
        securitySchemes: {
          a: { type: 'apiKey', in: 'header', name: 'Authorization' },
          b: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
    });
    expect(built.schemes.map((s) => s.upstream?.type)).toEqual(['apiKey', 'apiKey']);
  });
});
