import { describe, expect, it } from 'vitest';
import type { GeneratorConfig } from '../../src/config/types.js';
import { buildModel } from '../../src/model/build-model.js';
import type { McpModel } from '../../src/model/types.js';
import { pathGlob } from '../../src/model/operation-selector.js';
import { loaded, operation, toolNamed } from './literal-document.js';

const CONFIG = 'openapi-to-mcp.config.yaml';

/** Seven operations over four tags, oauth2 scopes on most, one public. */
function document(
  extra: Record<string, unknown> = {},
  pathExtra: Record<string, Record<string, unknown>> = {},
): Record<string, unknown> {
  const op = (operationId: string | undefined, tags: string[], more: Record<string, unknown> = {}) =>
    operation({ ...(operationId ? { operationId } : {}), tags, ...more });
  return {
    security: [{ oauth: ['read:pets'] }],
    components: {
      securitySchemes: {
        oauth: {
          type: 'oauth2',
          flows: {
            clientCredentials: {
              tokenUrl: 'https://auth.example.com/token',
              scopes: { 'read:pets': 'r', 'write:pets': 'w' },
            },
          },
        },
      },
    },
    paths: {
      '/pets': {
        get: op('listPets', ['pets'], { summary: 'List pets' }),
        post: op('createPet', ['pets'], { security: [{ oauth: ['write:pets'] }] }),
        ...pathExtra['/pets'],
      },
      '/pets/{petId}': {
        get: op('getPet', ['pets']),
        delete: op('deletePet', ['pets', 'admin']),
        ...pathExtra['/pets/{petId}'],
      },
      '/admin/users': { get: op('listUsers', ['admin']), ...pathExtra['/admin/users'] },
      '/admin/users/{id}/roles': { put: op('setRoles', ['admin']), ...pathExtra['/admin/users/{id}/roles'] },
      '/store/inventory': { get: op(undefined, ['store']), ...pathExtra['/store/inventory'] },
      '/health': { get: op('health', [], { security: [] }), ...pathExtra['/health'] },
    },
    ...extra,
  };
}

const ALL = [
  'createPet',
  'deletePet',
  'get_store_inventory',
  'getPet',
  'health',
  'listPets',
  'listUsers',
  'setRoles',
].sort();

function build(config: GeneratorConfig, doc: Record<string, unknown> = document()): McpModel {
  return buildModel(loaded(doc), config, { configFile: CONFIG });
}
const names = (m: McpModel) => m.tools.map((t) => t.name);
const codes = (m: McpModel, code: string) => m.diagnostics.filter((d) => d.code === code);

describe('include / exclude by each kind of selector', () => {
  it('no config: every operation is a tool', () => {
    expect(names(build({}))).toEqual(ALL);
  });

  it.each<[string, GeneratorConfig, string[]]>([
    ['include tags', { include: { tags: ['admin'] } }, ['deletePet', 'listUsers', 'setRoles']],
    ['include operationIds', { include: { operationIds: ['health', 'getPet'] } }, ['getPet', 'health']],
    ['include paths: ** is any number of segments', { include: { paths: ['/admin/**'] } }, ['listUsers', 'setRoles']],
    ['include paths: * is exactly one segment', { include: { paths: ['/pets/*'] } }, ['deletePet', 'getPet']],
    ['include paths: * inside a segment', { include: { paths: ['/pet*'] } }, ['createPet', 'listPets']],
    ['include methods, any case', { include: { methods: ['put', 'DELETE'] } }, ['deletePet', 'setRoles']],
    [
      'include tool-name globs',
      { include: { tools: ['list*', 'get_*'] } },
      ['get_store_inventory', 'listPets', 'listUsers'],
    ],
    [
      'kinds in one selector are OR-ed',
      { include: { tags: ['store'], operationIds: ['health'] } },
      ['get_store_inventory', 'health'],
    ],
    ['exclude tags', { exclude: { tags: ['pets'] } }, ['get_store_inventory', 'health', 'listUsers', 'setRoles']],
    [
      'exclude paths',
      { exclude: { paths: ['/admin/**', '/health'] } },
      ['createPet', 'deletePet', 'get_store_inventory', 'getPet', 'listPets'],
    ],
    ['exclude methods', { exclude: { methods: ['GET'] } }, ['createPet', 'deletePet', 'setRoles']],
    [
      'exclude tool names',
      { exclude: { tools: ['*Pet', 'health'] } },
      ['get_store_inventory', 'listPets', 'listUsers', 'setRoles'],
    ],
    [
      'exclude applies after include',
      { include: { tags: ['pets'] }, exclude: { tags: ['admin'] } },
      ['createPet', 'getPet', 'listPets'],
    ],
  ])('%s', (_name, config, want) => {
    const built = build(config);
    expect(names(built)).toEqual([...want].sort());
    expect(codes(built, 'CONFIG_UNMATCHED')).toEqual([]);
  });

  it('says why each operation was left out (info)', () => {
    const built = build({ include: { tags: ['pets'] }, exclude: { operationIds: ['getPet'] } });
    expect(codes(built, 'TOOL_EXCLUDED').map((d) => d.message)).toEqual([
      "GET /pets/{petId} is not a tool: the configuration's exclude matches it.",
      "GET /admin/users is not a tool: the configuration's include does not match it.",
      "PUT /admin/users/{id}/roles is not a tool: the configuration's include does not match it.",
      "GET /store/inventory is not a tool: the configuration's include does not match it.",
      "GET /health is not a tool: the configuration's include does not match it.",
    ]);
    expect(codes(built, 'TOOL_EXCLUDED').every((d) => d.severity === 'info' && d.file === 'literal')).toBe(true);
  });

  it('excluding everything is NO_OPERATIONS, saying so', () => {
    const [d] = codes(build({ exclude: { paths: ['/**'] } }), 'NO_OPERATIONS');
    expect(d).toMatchObject({ severity: 'error' });
    expect(d!.message).toContain('All 8 operations are excluded');
  });

  it.each([
    ['/**', '/', true],
    ['/admin/**', '/admin', true],
    ['/admin/**', '/administrator', false],
    ['/pets/*', '/pets', false],
    ['/pets/*/photos', '/pets/{petId}/photos', true],
    ['/pets/{petId}', '/pets/{petId}', true],
    ['/a.b', '/aXb', false],
  ])('path glob %s on %s: %s', (glob, path, want) => {
    expect(pathGlob(glob).test(path)).toBe(want);
  });
});

describe('unmatched selectors and overrides: CONFIG_UNMATCHED warnings naming the config entry', () => {
  it('a selector entry that matches no operation, with a guess', () => {
    const built = build({ exclude: { tags: ['pet', 'admin'], paths: ['/nowhere/**'] } });
    expect(codes(built, 'CONFIG_UNMATCHED')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        file: CONFIG,
        pointer: '/exclude/tags/0',
        hint: 'Did you mean "pets"?',
      }),
      expect.objectContaining({ severity: 'warning', file: CONFIG, pointer: '/exclude/paths/0' }),
    ]);
    // The entries that do match still apply.
    expect(names(built)).not.toContain('setRoles');
  });

  it('a tools key that matches no operation, with a guess', () => {
    const [d] = codes(build({ tools: { listPet: { name: 'x' } } }), 'CONFIG_UNMATCHED');
    expect(d).toMatchObject({ file: CONFIG, pointer: '/tools/listPet', hint: 'Did you mean "listPets"?' });
  });

  it('a role whose selector matches nothing', () => {
    const [d] = codes(build({ roles: { admin: { tools: ['admin_*'] } } }), 'CONFIG_UNMATCHED');
    expect(d).toMatchObject({ file: CONFIG, pointer: '/roles/admin/tools/0' });
  });

  it('an entry matching an excluded operation is not unmatched', () => {
    expect(
      codes(build({ exclude: { tags: ['admin'] }, roles: { ops: { tags: ['admin'] } } }), 'CONFIG_UNMATCHED'),
    ).toEqual([]);
  });
});

describe('tools overrides', () => {
  it('rename, title and description by operationId', () => {
    const built = build({
      tools: { listPets: { name: 'pets_list', title: 'All pets', description: 'Every pet, newest first.' } },
    });
    const tool = toolNamed(built, 'pets_list');
    expect(tool).toMatchObject({ title: 'All pets', description: 'Every pet, newest first.', operationId: 'listPets' });
    // The title lives on the tool only: annotations.title would repeat it (src/model/trim.ts).
    expect(tool.annotations.title).toBeUndefined();
    expect(names(built)).not.toContain('listPets');
  });

  it('keyed by METHOD /path, the method in any case', () => {
    expect(names(build({ tools: { 'get /store/inventory': { name: 'inventory' } } }))).toContain('inventory');
  });

  it('exclude: true drops the operation', () => {
    expect(names(build({ tools: { 'DELETE /pets/{petId}': { exclude: true } } }))).not.toContain('deletePet');
  });

  it('exclude: false keeps an operation that exclude or the spec drops', () => {
    const doc = document({}, { '/health': { 'x-mcp-exclude': true } });
    expect(
      names(
        build(
          { exclude: { tags: ['admin'] }, tools: { deletePet: { exclude: false }, health: { exclude: false } } },
          doc,
        ),
      ),
    ).toEqual(expect.arrayContaining(['deletePet', 'health']));
  });

  it('scopes replace the scopes from OpenAPI security, normalized', () => {
    const built = build({
      tools: { createPet: { scopes: [['pets:write', 'pets:admin'], ['pets:admin', 'pets:write', 'x'], ['root']] } },
    });
    expect(toolNamed(built, 'createPet').access).toEqual({ scopes: [['root'], ['pets:admin', 'pets:write']] });
    expect(built.authorization.scopesSupported).toEqual(['pets:admin', 'pets:write', 'read:pets', 'root']);
  });

  it('scope mapping applies to the others', () => {
    const built = build({ scopes: { rename: { 'read:pets': 'pets.read' }, prefix: 'api:', default: 'api:public' } });
    expect(toolNamed(built, 'getPet').access.scopes).toEqual([['api:pets.read']]);
    expect(toolNamed(built, 'health').access.scopes).toEqual([['api:public']]);
  });

  it('a rename onto another tool’s name: TOOL_NAME_CONFLICT naming both, at the config key', () => {
    const built = build({ tools: { getPet: { name: 'listPets' } } });
    const [d] = codes(built, 'TOOL_NAME_CONFLICT');
    expect(d).toMatchObject({ severity: 'error', file: CONFIG, pointer: '/tools/getPet/name' });
    expect(d!.message).toBe(
      'GET /pets/{petId} is named "listPets" by tools["getPet"].name, but GET /pets (operationId listPets) has that name too.',
    );
  });

  it('two renames onto one name: an error for each', () => {
    const built = build({ tools: { getPet: { name: 'pet' }, deletePet: { name: 'pet' } } });
    expect(codes(built, 'TOOL_NAME_CONFLICT').map((d) => d.pointer)).toEqual([
      '/tools/getPet/name',
      '/tools/deletePet/name',
    ]);
  });

  it('a rename onto the name of an excluded operation is fine', () => {
    const built = build({ tools: { getPet: { name: 'listPets' }, listPets: { exclude: true } } });
    expect(codes(built, 'TOOL_NAME_CONFLICT')).toEqual([]);
    expect(toolNamed(built, 'listPets').operationId).toBe('getPet');
  });
});

describe('names do not depend on what is excluded', () => {
  /** Two operations share an operationId: both carry a hash suffix, whether or not the other is a tool. */
  const clash = () => document({}, { '/health': { post: operation({ operationId: 'getPet', tags: ['x'] }) } });

  it('a suffixed name stays when its rival is excluded', () => {
    const all = build({}, clash());
    const suffixed = all.tools.filter((t) => t.operationId === 'getPet').map((t) => t.name);
    expect(suffixed).toHaveLength(2);
    expect(suffixed.every((n) => /^getPet_[0-9a-f]{6}$/.test(n))).toBe(true);
    const narrowed = build({ exclude: { tags: ['x'] } }, clash());
    for (const tool of narrowed.tools) expect(all.tools.find((t) => t.source === tool.source)?.name).toBe(tool.name);
  });

  it.each<[string, GeneratorConfig]>([
    ['include', { include: { tags: ['pets'] } }],
    ['exclude', { exclude: { methods: ['get'] } }],
    ['override exclude', { tools: { listPets: { exclude: true } } }],
  ])('%s leaves every remaining name as it was', (_name, config) => {
    const before = new Map(build({}, clash()).tools.map((t) => [t.source, t.name]));
    for (const tool of build(config, clash()).tools) expect(tool.name).toBe(before.get(tool.source));
  });
});

describe('roles', () => {
  it('the sorted union of config roles, tool override roles and x-mcp-roles (path item and operation)', () => {
    const doc = document(
      {},
      {
        '/admin/users': {
          'x-mcp-roles': ['auditor'],
          get: operation({ operationId: 'listUsers', tags: ['admin'], 'x-mcp-roles': ['hr'] }),
        },
      },
    );
    const built = build(
      {
        roles: { admin: { tags: ['admin'] }, support: { tools: ['list*'] } },
        tools: { listUsers: { roles: ['root'] } },
      },
      doc,
    );
    expect(toolNamed(built, 'listUsers').access.roles).toEqual(['admin', 'auditor', 'hr', 'root', 'support']);
    expect(toolNamed(built, 'listPets').access.roles).toEqual(['support']);
  });

  it('a tool no role grants carries no roles (scopes only)', () => {
    const built = build({ roles: { admin: { tags: ['admin'] } } });
    expect(toolNamed(built, 'getPet').access).toEqual({ scopes: [['read:pets']] });
  });
});

describe('extensions in the spec', () => {
  const withOp = (path: string, method: string, extra: Record<string, unknown>) => {
    const doc = document();
    const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>;
    paths[path]![method] = { ...paths[path]![method], ...extra };
    return doc;
  };

  it('x-mcp-name, x-mcp-title, x-mcp-description', () => {
    const built = build(
      {},
      withOp('/pets', 'get', { 'x-mcp-name': 'pets', 'x-mcp-title': 'Pets', 'x-mcp-description': 'All of them.' }),
    );
    expect(toolNamed(built, 'pets')).toMatchObject({ title: 'Pets', description: 'All of them.' });
  });

  it('the config wins over x-mcp-name', () => {
    const built = build(
      { tools: { listPets: { name: 'from_config' } } },
      withOp('/pets', 'get', { 'x-mcp-name': 'from_spec' }),
    );
    expect(names(built)).toContain('from_config');
    expect(names(built)).not.toContain('from_spec');
  });

  it('x-mcp-exclude on the operation, and on the path item unless the operation says false', () => {
    expect(names(build({}, withOp('/pets', 'get', { 'x-mcp-exclude': true })))).not.toContain('listPets');
    const doc = document({}, { '/pets': { 'x-mcp-exclude': true } });
    (doc.paths as Record<string, Record<string, Record<string, unknown>>>)['/pets']!.post!['x-mcp-exclude'] = false;
    const built = build({}, doc);
    expect(names(built)).not.toContain('listPets');
    expect(names(built)).toContain('createPet');
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>, boolean]>([
    ['root false', { 'x-mcp': false }, {}, {}, false],
    ['root false, path true', { 'x-mcp': false }, { 'x-mcp': true }, {}, true],
    ['path false, operation true', {}, { 'x-mcp': false }, { 'x-mcp': true }, true],
    ['operation "no" (a string, as openapi-mcp-generator reads it)', {}, {}, { 'x-mcp': 'no' }, false],
    ['operation "TRUE" beats path false', {}, { 'x-mcp': false }, { 'x-mcp': 'TRUE' }, true],
  ])('x-mcp (openapi-mcp-generator): %s', (_name, root, pathItem, op, included) => {
    const doc = document(root, { '/health': pathItem });
    const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>;
    paths['/health']!.get = { ...paths['/health']!.get, ...op };
    expect(names(build({}, doc)).includes('health')).toBe(included);
  });

  it('an x-mcp value of the wrong type: EXTENSION_INVALID, ignored', () => {
    const built = build(
      {},
      withOp('/health', 'get', { 'x-mcp': { include: false }, 'x-mcp-roles': 'ops', 'x-mcp-exclude': 'yes' }),
    );
    expect(names(built)).toContain('health');
    expect(toolNamed(built, 'health').access.roles).toEqual(['ops']);
    expect(codes(built, 'EXTENSION_INVALID').map((d) => [d.severity, d.pointer])).toEqual([
      ['warning', '/paths/~1health/get/x-mcp-exclude'],
      ['warning', '/paths/~1health/get/x-mcp'],
    ]);
  });

  it('x-speakeasy-mcp: name, title, description and hints', () => {
    const built = build(
      {},
      withOp('/pets/{petId}', 'delete', {
        'x-speakeasy-mcp': {
          name: 'remove-pet',
          title: 'Remove a pet',
          description: 'Deletes it.',
          scopes: ['write'],
          idempotentHint: false,
          annotations: { openWorldHint: false },
        },
      }),
    );
    const tool = toolNamed(built, 'remove-pet');
    expect(tool).toMatchObject({ title: 'Remove a pet', description: 'Deletes it.' });
    // Trimmed (src/model/trim.ts): no title beside Tool.title, no false defaults of readOnlyHint and idempotentHint.
    expect(tool.title).toBe('Remove a pet');
    expect(tool.annotations).toEqual({ destructiveHint: true, openWorldHint: false });
    // Speakeasy scopes are tool sets, not OAuth scopes: access stays as OpenAPI security says.
    expect(tool.access).toEqual({ scopes: [['read:pets']] });
  });

  it('x-speakeasy-mcp disabled: true drops the operation; x-mcp-name beats its name', () => {
    expect(names(build({}, withOp('/pets', 'get', { 'x-speakeasy-mcp': { disabled: true } })))).not.toContain(
      'listPets',
    );
    expect(
      names(build({}, withOp('/pets', 'get', { 'x-mcp-name': 'ours', 'x-speakeasy-mcp': { name: 'theirs' } }))),
    ).toContain('ours');
  });

  it('x-mcp-name that another tool has: TOOL_NAME_CONFLICT at the operation', () => {
    const [d] = codes(build({}, withOp('/pets/{petId}', 'get', { 'x-mcp-name': 'listPets' })), 'TOOL_NAME_CONFLICT');
    expect(d).toMatchObject({ file: 'literal', pointer: '/paths/~1pets~1{petId}/get' });
    expect(d!.message).toContain('by x-mcp-name');
  });
});

describe('server', () => {
  it('config overrides name, version and title', () => {
    expect(build({ server: { name: 'pets', version: '2.0.0', title: 'Pets' } }).server).toMatchObject({
      name: 'pets',
      version: '2.0.0',
      title: 'Pets',
    });
  });

  it('authorization settings flow into the model', () => {
    expect(build({ authorization: { rolesClaim: 'groups', toolsList: 'all' } }).authorization).toMatchObject({
      rolesClaim: 'groups',
      toolsList: 'all',
    });
  });
});
