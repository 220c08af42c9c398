import { describe, expect, it } from 'vitest';
import type { SecurityRequirement, SecuritySchemeDefinition } from '../../templates/runtime/mcp/types.js';
import {
  resolveUpstreamCredentials,
  type CredentialResolution,
} from '../../templates/runtime/http/upstream-credentials.js';
import { createUpstreamAuth } from '../../templates/runtime/http/upstream-auth.js';
import { UpstreamError } from '../../templates/runtime/http/upstream-error.js';

const schemes: Record<string, SecuritySchemeDefinition> = {
  headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', env: 'PETS_KEY' },
  queryKey: { type: 'apiKey', in: 'query', name: 'api_key', env: 'PETS_QUERY_KEY' },
  cookieKey: { type: 'apiKey', in: 'cookie', name: 'session', env: 'PETS_SESSION' },
  bearer: { type: 'http', scheme: 'Bearer', env: 'PETS_TOKEN' },
  basic: { type: 'http', scheme: 'basic', env: 'PETS_BASIC' },
  digest: { type: 'http', scheme: 'digest', env: 'PETS_DIGEST' },
  oauth: { type: 'oauth2', scopes: ['read'], tokenUrl: 'https://auth.example/token', env: 'PETS_OAUTH' },
  oidc: {
    type: 'openIdConnect',
    openIdConnectUrl: 'https://auth.example/.well-known/openid-configuration',
    env: 'PETS_OIDC',
  },
};

const req = (...names: string[]): SecurityRequirement => names.map((scheme) => ({ scheme, scopes: [] }));
const none = { headers: {}, query: [], cookies: [] };

const cases: Array<
  [
    string,
    { given: { security: SecurityRequirement[]; env: Record<string, string | undefined> }; want: CredentialResolution },
  ]
> = [
  ['public operation', { given: { security: [], env: {} }, want: { satisfied: true, ...none, secrets: [] } }],
  [
    'apiKey in header',
    {
      given: { security: [req('headerKey')], env: { PETS_KEY: 'k1' } },
      want: { satisfied: true, ...none, headers: { 'X-API-Key': 'k1' }, secrets: ['k1'] },
    },
  ],
  [
    'apiKey in query',
    {
      given: { security: [req('queryKey')], env: { PETS_QUERY_KEY: 'q 1' } },
      want: { satisfied: true, ...none, query: [['api_key', 'q 1']], secrets: ['q 1'] },
    },
  ],
  [
    'apiKey in cookie',
    {
      given: { security: [req('cookieKey')], env: { PETS_SESSION: 's1' } },
      want: { satisfied: true, ...none, cookies: [['session', 's1']], secrets: ['s1'] },
    },
  ],
  [
    'http bearer',
    {
      given: { security: [req('bearer')], env: { PETS_TOKEN: 't1' } },
      want: { satisfied: true, ...none, headers: { Authorization: 'Bearer t1' }, secrets: ['t1'] },
    },
  ],
  [
    'http basic, UTF-8',
    {
      given: { security: [req('basic')], env: { PETS_BASIC_USERNAME: 'ünï', PETS_BASIC_PASSWORD: 'p:w' } },
      want: {
        satisfied: true,
        ...none,
        headers: { Authorization: 'Basic w7xuw686cDp3' },
        secrets: ['w7xuw686cDp3', 'p:w'],
      },
    },
  ],
  [
    'http basic, empty password',
    {
      given: { security: [req('basic')], env: { PETS_BASIC_USERNAME: 'sk_live', PETS_BASIC_PASSWORD: '' } },
      want: {
        satisfied: true,
        ...none,
        headers: { Authorization: 'Basic c2tfbGl2ZTo=' },
        secrets: ['c2tfbGl2ZTo=', ''],
      },
    },
  ],
  [
    'oauth2 static token',
    {
      given: { security: [req('oauth')], env: { PETS_OAUTH_ACCESS_TOKEN: 'at' } },
      want: { satisfied: true, ...none, headers: { Authorization: 'Bearer at' }, secrets: ['at'] },
    },
  ],
  [
    'openIdConnect static token',
    {
      given: { security: [req('oidc')], env: { PETS_OIDC_ACCESS_TOKEN: 'it' } },
      want: { satisfied: true, ...none, headers: { Authorization: 'Bearer it' }, secrets: ['it'] },
    },
  ],
  [
    'AND of header and query keys',
    {
      given: { security: [req('headerKey', 'queryKey')], env: { PETS_KEY: 'k', PETS_QUERY_KEY: 'q' } },
      want: { satisfied: true, ...none, headers: { 'X-API-Key': 'k' }, query: [['api_key', 'q']], secrets: ['k', 'q'] },
    },
  ],
  [
    'the first satisfiable alternative wins',
    {
      given: {
        security: [req('bearer'), req('headerKey'), req('queryKey')],
        env: { PETS_KEY: 'k', PETS_QUERY_KEY: 'q' },
      },
      want: { satisfied: true, ...none, headers: { 'X-API-Key': 'k' }, secrets: ['k'] },
    },
  ],
  [
    'an AND with one missing scheme is skipped',
    {
      given: { security: [req('headerKey', 'bearer'), req('queryKey')], env: { PETS_KEY: 'k', PETS_QUERY_KEY: 'q' } },
      want: { satisfied: true, ...none, query: [['api_key', 'q']], secrets: ['q'] },
    },
  ],
  [
    'an empty alternative is anonymous access',
    { given: { security: [req('bearer'), []], env: {} }, want: { satisfied: true, ...none, secrets: [] } },
  ],
  [
    'two schemes setting Authorization are skipped',
    {
      given: {
        security: [req('bearer', 'oauth'), req('headerKey')],
        env: { PETS_TOKEN: 't', PETS_OAUTH_ACCESS_TOKEN: 'a', PETS_KEY: 'k' },
      },
      want: { satisfied: true, ...none, headers: { 'X-API-Key': 'k' }, secrets: ['k'] },
    },
  ],
  [
    'nothing satisfiable lists missing variables',
    {
      given: {
        security: [req('bearer'), req('basic', 'headerKey'), req('oauth')],
        env: { PETS_KEY: 'k', PETS_BASIC_PASSWORD: 'p' },
      },
      want: {
        satisfied: false,
        missing: [
          'PETS_TOKEN',
          'PETS_BASIC_USERNAME',
          'PETS_OAUTH_ACCESS_TOKEN',
          'PETS_OAUTH_CLIENT_ID and PETS_OAUTH_CLIENT_SECRET',
        ],
      },
    },
  ],
  [
    'empty values count as missing',
    {
      given: { security: [req('bearer')], env: { PETS_TOKEN: '' } },
      want: { satisfied: false, missing: ['PETS_TOKEN'] },
    },
  ],
  [
    'oauth2 client credentials without an UpstreamAuth do not satisfy',
    {
      given: { security: [req('oauth')], env: { PETS_OAUTH_CLIENT_ID: 'id', PETS_OAUTH_CLIENT_SECRET: 's' } },
      want: {
        satisfied: false,
        missing: ['PETS_OAUTH_ACCESS_TOKEN', 'PETS_OAUTH_CLIENT_ID and PETS_OAUTH_CLIENT_SECRET'],
      },
    },
  ],
  [
    'unsupported http scheme and unknown scheme',
    {
      given: { security: [req('digest'), req('nope')], env: { PETS_DIGEST: 'x' } },
      want: { satisfied: false, missing: [] },
    },
  ],
];

describe('resolveUpstreamCredentials', () => {
  it.each(cases)('%s', async (_, { given, want }) => {
    expect(await resolveUpstreamCredentials(given.security, schemes, given.env)).toEqual(want);
  });

  it('rejects a credential containing a line break without revealing it', async () => {
    let error: unknown;
    try {
      await resolveUpstreamCredentials([req('headerKey')], schemes, { PETS_KEY: 'secret-value\r\nX-Evil: 1' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).code).toBe('invalid_header_value');
    expect((error as UpstreamError).message).toBe('environment variable PETS_KEY must not contain CR, LF or NUL');
  });

  it.each(['Host', 'transfer-encoding', 'Content-Length', 'Cookie', 'Content-Type'])(
    'never puts a key into the %s header, even from a hand-edited table: not satisfied, nothing sent',
    async (header) => {
      const framing = { type: 'apiKey', in: 'header', name: header, env: 'FRAMING_KEY' } as const;
      expect(await resolveUpstreamCredentials([req('framing')], { framing }, { FRAMING_KEY: 'k1' })).toEqual({
        satisfied: false,
        missing: [],
      });
    },
  );

  it('does not read inherited properties of the env object', async () => {
    expect(
      await resolveUpstreamCredentials(
        [req('bearer')],
        { bearer: { type: 'http', scheme: 'bearer', env: 'toString' } },
        {},
      ),
    ).toEqual({
      satisfied: false,
      missing: ['toString'],
    });
  });
});

describe('resolveUpstreamCredentials with upstream OAuth flows', () => {
  const exchangeEnv = { PETS_OAUTH_CLIENT_ID: 'id', PETS_OAUTH_CLIENT_SECRET: 's', PETS_OAUTH_TOKEN_EXCHANGE: 'true' };

  it('reports a token-exchange scheme without a caller token as blocked, not missing', async () => {
    const auth = createUpstreamAuth(schemes, exchangeEnv);
    expect(await resolveUpstreamCredentials([req('oauth')], schemes, exchangeEnv, { auth })).toEqual({
      satisfied: false,
      missing: [],
      blocked: ['oauth'],
    });
  });

  it('takes a later alternative before a blocked token exchange, and fetches no token for it', async () => {
    const env = { ...exchangeEnv, PETS_KEY: 'k' };
    const auth = createUpstreamAuth(schemes, env);
    expect(await resolveUpstreamCredentials([req('oauth'), req('headerKey')], schemes, env, { auth })).toEqual({
      satisfied: true,
      ...none,
      headers: { 'X-API-Key': 'k' },
      secrets: ['k'],
    });
  });

  it('skips an alternative where a fetched token would clash with a bearer token on Authorization', async () => {
    const env = { PETS_OAUTH_CLIENT_ID: 'id', PETS_OAUTH_CLIENT_SECRET: 's', PETS_TOKEN: 't', PETS_KEY: 'k' };
    const auth = createUpstreamAuth(schemes, env);
    expect(
      await resolveUpstreamCredentials([req('oauth', 'bearer'), req('headerKey')], schemes, env, { auth }),
    ).toEqual({
      satisfied: true,
      ...none,
      headers: { 'X-API-Key': 'k' },
      secrets: ['k'],
    });
  });
});
