import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { LoadedConfig } from '../../src/config/load-config.js';

const root = mkdtempSync(join(tmpdir(), 'openapi-to-mcp-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
/** A fresh folder with `files`; returns its path (the spec itself need not exist: discovery looks beside it). */
function folder(files: Record<string, string>): string {
  const dir = join(root, String(counter++));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

const only = (loaded: LoadedConfig) => {
  expect(loaded.diagnostics).toHaveLength(1);
  return loaded.diagnostics[0]!;
};

describe('discovery', () => {
  it.each([
    ['openapi-to-mcp.config.json', '{ "exclude": { "tags": ["admin"] } }'],
    ['openapi-to-mcp.config.yaml', 'exclude:\n  tags: [admin]\n'],
    ['openapi-to-mcp.config.yml', 'exclude: { tags: [admin] }\n'],
  ])('finds %s beside the spec', (name, text) => {
    const dir = folder({ [`api/${name}`]: text });
    const loaded = loadConfig({ spec: 'api/openapi.yaml', cwd: dir });
    expect(loaded).toEqual({ config: { exclude: { tags: ['admin'] } }, file: join('api', name), diagnostics: [] });
  });

  it('looks beside the spec, not in the working directory', () => {
    const dir = folder({
      'openapi-to-mcp.config.json': '{ "exclude": { "tags": ["admin"] } }',
      'api/openapi.yaml': '',
    });
    expect(loadConfig({ spec: 'api/openapi.yaml', cwd: dir })).toEqual({ config: {}, diagnostics: [] });
  });

  it.each(['-', 'https://example.com/openapi.yaml'])(
    'finds none for %s, even with one in the working directory',
    (spec) => {
      const dir = folder({ 'openapi-to-mcp.config.json': '{ "exclude": { "tags": ["admin"] } }' });
      expect(loadConfig({ spec, cwd: dir })).toEqual({ config: {}, diagnostics: [] });
    },
  );

  it('--config wins over discovery, and works for stdin', () => {
    const dir = folder({
      'openapi-to-mcp.config.json': '{ "exclude": { "tags": ["a"] } }',
      'other.yaml': 'exclude: { tags: [b] }',
    });
    expect(loadConfig({ spec: 'openapi.yaml', configPath: 'other.yaml', cwd: dir }).config).toEqual({
      exclude: { tags: ['b'] },
    });
    expect(loadConfig({ spec: '-', configPath: 'other.yaml', cwd: dir }).config).toEqual({ exclude: { tags: ['b'] } });
  });

  it('two files beside the spec: CONFIG_AMBIGUOUS, naming both', () => {
    const dir = folder({ 'openapi-to-mcp.config.json': '{}', 'openapi-to-mcp.config.yaml': '{}' });
    const d = only(loadConfig({ spec: 'openapi.yaml', cwd: dir }));
    expect(d).toMatchObject({ code: 'CONFIG_AMBIGUOUS', severity: 'error' });
    expect(d.message).toContain('openapi-to-mcp.config.json, openapi-to-mcp.config.yaml');
    expect(d.hint).toContain('--config');
  });

  it('a --config path that does not exist: CONFIG_NOT_FOUND', () => {
    const dir = folder({});
    const d = only(loadConfig({ spec: 'openapi.yaml', configPath: 'missing.json', cwd: dir }));
    expect(d).toMatchObject({ code: 'CONFIG_NOT_FOUND', severity: 'error', file: 'missing.json' });
    expect(d.message).toContain('missing.json');
  });

  it('an empty YAML file is an empty config', () => {
    const dir = folder({ 'openapi-to-mcp.config.yaml': '# nothing yet\n' });
    expect(loadConfig({ spec: 'openapi.yaml', cwd: dir })).toMatchObject({ config: {}, diagnostics: [] });
  });
});

describe('syntax errors: CONFIG_PARSE with line and column', () => {
  it.each([
    ['openapi-to-mcp.config.json', '{\n  "include": { "tags": ["a"], }\n}', 2, 31],
    ['openapi-to-mcp.config.json', '// comment\n{}', 1, 1],
    ['openapi-to-mcp.config.yaml', 'include:\n  tags: [a\nexclude: {}\n', 3, 1],
    ['openapi-to-mcp.config.yaml', 'include: {}\ninclude: {}\n', 2, 1],
  ])('%s: %j', (name, text, line, column) => {
    const dir = folder({ [name]: text });
    const d = only(loadConfig({ spec: 'openapi.yaml', cwd: dir }));
    expect(d).toMatchObject({ code: 'CONFIG_PARSE', severity: 'error', file: name, line, column });
  });
});

describe('schema errors: CONFIG_INVALID with the pointer of the bad key', () => {
  const invalid = (text: string, name = 'openapi-to-mcp.config.yaml') => {
    const dir = folder({ [name]: text });
    const loaded = loadConfig({ spec: 'openapi.yaml', cwd: dir });
    expect(loaded.config).toEqual({});
    for (const d of loaded.diagnostics)
      expect(d).toMatchObject({ code: 'CONFIG_INVALID', severity: 'error', file: name });
    return loaded.diagnostics;
  };

  it('an unknown top-level key, with did-you-mean and its position', () => {
    const [d, ...rest] = invalid('server: { title: X }\ninclud:\n  tags: [a]\n');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ pointer: '/includ', line: 2, column: 1 });
    expect(d!.message).toBe('Unknown key "includ" in the top level.');
    expect(d!.hint).toMatch(/^Did you mean "include"\? Allowed keys here: \$schema, include, exclude, tools,/);
  });

  it('an unknown key inside a selector reached through a $ref', () => {
    const [d] = invalid('{ "exclude": { "tgas": ["admin"] } }', 'openapi-to-mcp.config.json');
    expect(d).toMatchObject({ pointer: '/exclude/tgas', line: 1, column: 16 });
    expect(d!.hint).toMatch(/^Did you mean "tags"\?/);
  });

  it('an unknown key in a tool override', () => {
    const [d] = invalid('tools:\n  listPets:\n    nmae: pets_list\n');
    expect(d).toMatchObject({ pointer: '/tools/listPets/nmae', line: 3, column: 5 });
    expect(d!.hint).toMatch(/^Did you mean "name"\?/);
  });

  it('no guess when nothing is close', () => {
    const [d] = invalid('flavour: vanilla\n');
    expect(d!.hint).toMatch(/^Allowed keys here:/);
  });

  it.each([
    ['a string where a list belongs', 'include: { tags: admin }', '/include/tags', /must be an array, not a string/],
    [
      'a tool name outside the MCP alphabet',
      'tools: { listPets: { name: "list pets" } }',
      '/tools/listPets/name',
      /"list pets", which is not allowed/,
    ],
    ['a scope with a space (RFC 6749 §3.3)', 'scopes: { default: "read write" }', '/scopes/default', /"read write"/],
    [
      'a toolsList value not in the enum',
      'authorization: { toolsList: some }',
      '/authorization/toolsList',
      /must be one of: filter, all/,
    ],
    [
      'an outputSchemas value not in the enum',
      'outputSchemas: deep',
      '/outputSchemas',
      /must be one of: shallow, full, none/,
    ],
    ['an empty selector', 'include: {}', '/include', /must not be empty/],
    ['a method that is not one', 'exclude: { methods: [FETCH] }', '/exclude/methods/0', /must be one of: get, put/],
    ['a path glob without a leading slash', 'exclude: { paths: [admin/**] }', '/exclude/paths/0', /"admin\/\*\*"/],
    [
      'scope alternatives that are not lists',
      'tools: { x: { scopes: [read] } }',
      '/tools/x/scopes/0',
      /must be an array/,
    ],
    ['a bad key of scopes.rename', 'scopes: { rename: { "a b": c } }', '/scopes/rename/a b', /key "a b"/],
  ])('%s', (_name, text, pointer, message) => {
    const diagnostics = invalid(text);
    const d = diagnostics.find((x) => x.pointer === pointer);
    expect(d, JSON.stringify(diagnostics)).toBeDefined();
    expect(d!.message).toMatch(message);
    expect(d!.hint).toBeTruthy();
  });

  it('reports every problem at once', () => {
    expect(invalid('includ: {}\nexclude: { tgas: [a] }\nserver: { name: 42 }\n').map((d) => d.pointer)).toEqual([
      '/includ',
      '/exclude/tgas',
      '/server/name',
    ]);
  });

  it.each(['shallow', 'full', 'none'])('allows outputSchemas: %s', (mode) => {
    const dir = folder({ 'openapi-to-mcp.config.yaml': `outputSchemas: ${mode}\n` });
    expect(loadConfig({ spec: 'openapi.yaml', cwd: dir })).toMatchObject({
      config: { outputSchemas: mode },
      diagnostics: [],
    });
  });

  it('allows $schema', () => {
    const dir = folder({
      'openapi-to-mcp.config.json':
        '{ "$schema": "./node_modules/openapi-to-mcp/schema/openapi-to-mcp.config.schema.json" }',
    });
    expect(loadConfig({ spec: 'openapi.yaml', cwd: dir }).diagnostics).toEqual([]);
  });
});
