import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/load/index.js';
import { authorizationOf, closeHierarchy, scopesOf } from '../../src/model/access.js';
import { buildModel } from '../../src/model/build-model.js';
import type { McpModel } from '../../src/model/types.js';
import { SPECS, hasSpec } from '../support/generated-project.js';

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

describe('real specs', () => {
  const cache = new Map<string, Promise<McpModel>>();
  const modelOf = (spec: string) => {
    if (!cache.has(spec))
      cache.set(
        spec,
        loadDocument(join(SPECS, spec)).then((loaded) => buildModel(loaded)),
      );
    return cache.get(spec)!;
  };
  const tool = (m: McpModel, name: string) => {
    const found = m.tools.find((t) => t.name === name);
    if (!found) throw new Error(`no tool ${name}`);
    return found;
  };

  it('spotify-web-api: per-operation oauth2 scopes', async () => {
    const m = await modelOf('spotify-web-api.yaml');
    expect(tool(m, 'get-users-saved-tracks').access.scopes).toEqual([['user-library-read']]);
    expect(tool(m, 'get-an-album').access.scopes).toEqual([[]]);
    expect(m.authorization.scopesSupported).toContain('playlist-modify-public');
  });

  it('google-drive: two schemes AND-ed in one requirement, seven alternatives', async () => {
    const m = await modelOf('google-drive.json');
    const about = tool(m, 'drive.about.get').access.scopes;
    expect(about).toHaveLength(7);
    expect(about[0]).toEqual(['https://www.googleapis.com/auth/drive']);
    expect(tool(m, 'drive.apps.list').access.scopes).toEqual([['https://www.googleapis.com/auth/drive.apps.readonly']]);
  });

  it('oai-non-oauth-scopes: 3.1 bearer with role-like scopes', async () => {
    const m = await modelOf('oai-non-oauth-scopes.yaml');
    expect(m.tools[0]?.access.scopes).toEqual([['public', 'read:users']]);
  });

  it.skipIf(!hasSpec('asana-api.yaml'))(
    'asana-api: a bearer token OR oauth2 without scopes needs no MCP scope',
    async () => {
      const m = await modelOf('asana-api.yaml');
      expect(tool(m, 'getAccessRequests').access.scopes).toEqual([[]]);
    },
  );

  it.each(['gotify-server.json', 'overseerr-api.yaml'])('%s: apiKey-only API needs no MCP scope', async (spec) => {
    const m = await modelOf(spec);
    expect(m.authorization.scopesSupported).toEqual([]);
    expect(m.tools.every((t) => t.access.scopes.length === 1 && t.access.scopes[0]!.length === 0)).toBe(true);
  });
});
