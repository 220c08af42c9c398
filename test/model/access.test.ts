import { describe, expect, it } from 'vitest';
import { authorizationOf, closeHierarchy, scopesOf } from '../../src/model/access.js';
import { model, operation, toolNamed } from './literal-document.js';

const req = (scheme: string, scopes: string[] = []) => ({ scheme, scopes });

describe('scopesOf: the MCP scopes a tool needs, from OpenAPI security', () => {
  it.each([
    ['public ([]) needs no scope', [], {}, [[]]],
    ['an apiKey alternative needs no scope', [[req('key')]], {}, [[]]],
    ['oauth2 scopes of one alternative', [[req('oauth', ['b', 'a'])]], {}, [['a', 'b']]],
    ['two schemes AND-ed: their scopes merge', [[req('o1', ['x']), req('o2', ['x', 'y'])]], {}, [['x', 'y']]],
    [
      'alternatives stay alternatives, smallest first',
      [[req('o', ['a', 'b'])], [req('o', ['c'])]],
      {},
      [['c'], ['a', 'b']],
    ],
    ['an alternative needing nothing makes the tool need nothing', [[req('o', ['a'])], [req('key')]], {}, [[]]],
    ['a superset alternative is dropped (never cheaper)', [[req('o', ['a'])], [req('o', ['a', 'b'])]], {}, [['a']]],
    [
      '3.1 role names on a bearer scheme are required too',
      [[req('bearer', ['read:users', 'public'])]],
      {},
      [['public', 'read:users']],
    ],
    [
      'rename, then prefix',
      [[req('o', ['read', 'write'])]],
      { rename: { read: 'pets.read' }, prefix: 'api:' },
      [['api:pets.read', 'api:write']],
    ],
    ['two scopes renamed to one merge', [[req('o', ['r1', 'r2'])]], { rename: { r1: 'r', r2: 'r' } }, [['r']]],
    ['a default scope for scope-less alternatives', [[req('key')]], { default: 'api' }, [['api']]],
    ['the default applies to public operations too', [], { default: 'api' }, [['api']]],
    ['rename ignores inherited keys', [[req('o', ['constructor'])]], { rename: {} }, [['constructor']]],
  ] as const)('%s', (_name, security, mapping, want) => {
    expect(scopesOf(security as never, mapping)).toEqual(want);
  });
});

describe('authorizationOf', () => {
  it('lists every needed scope once, sorted, never offline_access', () => {
    const tools = [{ access: { scopes: [['b', 'offline_access'], ['a']] } }, { access: { scopes: [['b']] } }];
    expect(authorizationOf(tools).scopesSupported).toEqual(['a', 'b']);
  });

  it('closes the scope hierarchy transitively and ignores cycles', () => {
    expect(closeHierarchy({ admin: ['write'], write: ['read'], read: ['admin'] })).toEqual({
      admin: ['read', 'write'],
      read: ['admin', 'write'],
      write: ['admin', 'read'],
    });
  });

  it('defaults: tools/list filtered, no roles claim', () => {
    expect(authorizationOf([])).toEqual({ scopesSupported: [], scopeImplies: {}, toolsList: 'filter' });
  });
});

// Security shapes found in real specs (named per row), as small literals: the logic is the model's, not the loader's.
describe('security shapes of real specs', () => {
  const oauth2 = (scopes: string[]) => ({
    type: 'oauth2',
    flows: {
      authorizationCode: {
        authorizationUrl: 'https://as.example.com/authorize',
        tokenUrl: 'https://as.example.com/token',
        scopes: Object.fromEntries(scopes.map((s) => [s, s])),
      },
    },
  });
  const get = (operationId: string, security?: unknown) =>
    operation({ operationId, ...(security !== undefined ? { security } : {}) });

  it('spotify-web-api: per-operation oauth2 scopes', () => {
    const m = model({
      components: { securitySchemes: { oauth_2_0: oauth2(['user-library-read', 'playlist-modify-public']) } },
      paths: {
        '/me/tracks': { get: get('get-users-saved-tracks', [{ oauth_2_0: ['user-library-read'] }]) },
        '/albums/{id}': { get: get('get-an-album', [{ oauth_2_0: [] }]) },
        '/playlists': { post: get('create-playlist', [{ oauth_2_0: ['playlist-modify-public'] }]) },
      },
    });
    expect(toolNamed(m, 'get-users-saved-tracks').access.scopes).toEqual([['user-library-read']]);
    expect(toolNamed(m, 'get-an-album').access.scopes).toEqual([[]]);
    expect(m.authorization.scopesSupported).toContain('playlist-modify-public');
  });

  it('google-drive: two schemes AND-ed in one requirement, seven alternatives', () => {
    const drive = (s: string) => `https://www.googleapis.com/auth/${s}`;
    const scopes = ['drive', 'drive.appdata', 'drive.file', 'drive.metadata', 'drive.metadata.readonly'];
    const seven = [...scopes, 'drive.photos.readonly', 'drive.readonly'].map(drive);
    const m = model({
      components: { securitySchemes: { Oauth2: oauth2(seven), Oauth2c: oauth2(seven) } },
      paths: {
        '/about': {
          get: get(
            'drive.about.get',
            seven.map((s) => ({ Oauth2: [s], Oauth2c: [s] })),
          ),
        },
        '/apps': {
          get: get('drive.apps.list', [
            { Oauth2: [drive('drive.apps.readonly')], Oauth2c: [drive('drive.apps.readonly')] },
          ]),
        },
      },
    });
    const about = toolNamed(m, 'drive.about.get').access.scopes;
    expect(about).toHaveLength(7);
    expect(about[0]).toEqual([drive('drive')]);
    expect(toolNamed(m, 'drive.apps.list').access.scopes).toEqual([[drive('drive.apps.readonly')]]);
  });

  it('oai-non-oauth-scopes: 3.1 bearer with role-like scopes', () => {
    const m = model({
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      paths: { '/users': { get: get('listUsers', [{ bearerAuth: ['read:users', 'public'] }]) } },
    });
    expect(m.tools[0]?.access.scopes).toEqual([['public', 'read:users']]);
  });

  it('asana-api: a bearer token OR oauth2 without scopes needs no MCP scope', () => {
    const m = model({
      components: {
        securitySchemes: { personalAccessToken: { type: 'http', scheme: 'bearer' }, oauth2: oauth2(['default']) },
      },
      security: [{ personalAccessToken: [] }, { oauth2: [] }],
      paths: { '/access_requests': { get: get('getAccessRequests') } },
    });
    expect(toolNamed(m, 'getAccessRequests').access.scopes).toEqual([[]]);
  });

  it.each([
    ['gotify-server', { type: 'apiKey', in: 'header', name: 'X-Gotify-Key' }],
    ['overseerr-api', { type: 'apiKey', in: 'cookie', name: 'connect.sid' }],
  ])('%s: apiKey-only API needs no MCP scope', (_name, scheme) => {
    const m = model({
      components: { securitySchemes: { key: scheme } },
      security: [{ key: [] }],
      paths: { '/a': { get: get('listA') }, '/b': { post: get('createB', [{ key: [] }]) } },
    });
    expect(m.authorization.scopesSupported).toEqual([]);
    expect(m.tools.every((t) => t.access.scopes.length === 1 && t.access.scopes[0]!.length === 0)).toBe(true);
  });
});
