import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateFlags } from '../../src/cli/generate-flags.js';
import type { GeneratorConfig } from '../../src/config/types.js';
import type { OptionFlags, OptionOrigin, ResolvedOptions } from '../../src/options.js';
import { canonicalJson, optionsHash, resolveOptions } from '../../src/options.js';
import { planDocument } from '../../src/plan/plan-document.js';
import { loaded, operation } from '../model/literal-document.js';

const DEFAULTS = { specLabel: 'api.yaml', packageName: 'test-api-mcp' };

function resolve(flags: OptionFlags, config: GeneratorConfig = {}) {
  return resolveOptions({ flags, config, defaults: DEFAULTS });
}

type Row = [
  name: string,
  option: keyof ResolvedOptions,
  given: { flags: OptionFlags; config?: GeneratorConfig },
  want: { value: unknown; origin: OptionOrigin | undefined },
];

const CONFIG_HASH = createHash('sha256').update('{"toolMode":"dynamic"}').digest('hex');

/** Every option of ResolvedOptions, against each source it can come from: flag > config file > default. */
const PRECEDENCE: Row[] = [
  ['specLabel: default is the loaded source', 'specLabel', { flags: {} }, { value: 'api.yaml', origin: 'default' }],
  ['specLabel: flag wins', 'specLabel', { flags: { specLabel: 'x.yaml' } }, { value: 'x.yaml', origin: 'flag' }],
  [
    'packageName: default from the server name',
    'packageName',
    { flags: {} },
    { value: 'test-api-mcp', origin: 'default' },
  ],
  ['packageName: flag wins', 'packageName', { flags: { packageName: 'pets' } }, { value: 'pets', origin: 'flag' }],
  [
    'packageName: flag equal to the default is still a flag',
    'packageName',
    { flags: { packageName: 'test-api-mcp' } },
    { value: 'test-api-mcp', origin: 'flag' },
  ],
  ['testedTools: default 8', 'testedTools', { flags: {} }, { value: 8, origin: 'default' }],
  ['testedTools: flag wins', 'testedTools', { flags: { testedTools: 2 } }, { value: 2, origin: 'flag' }],
  ['toolMode: default static', 'toolMode', { flags: {} }, { value: 'static', origin: 'default' }],
  [
    'toolMode: config beats default',
    'toolMode',
    { flags: {}, config: { toolMode: 'dynamic' } },
    { value: 'dynamic', origin: 'config' },
  ],
  [
    'toolMode: flag beats default',
    'toolMode',
    { flags: { toolMode: 'dynamic' } },
    { value: 'dynamic', origin: 'flag' },
  ],
  [
    'toolMode: flag beats config',
    'toolMode',
    { flags: { toolMode: 'dynamic' }, config: { toolMode: 'static' } },
    { value: 'dynamic', origin: 'flag' },
  ],
  [
    'toolMode: flag explicitly set to the default beats config',
    'toolMode',
    { flags: { toolMode: 'static' }, config: { toolMode: 'dynamic' } },
    { value: 'static', origin: 'flag' },
  ],
  [
    'toolMode: an undefined flag is no flag',
    'toolMode',
    { flags: { toolMode: undefined }, config: { toolMode: 'dynamic' } },
    { value: 'dynamic', origin: 'config' },
  ],
  ['specPath: no default', 'specPath', { flags: {} }, { value: undefined, origin: undefined }],
  ['specPath: flag', 'specPath', { flags: { specPath: '../api.yaml' } }, { value: '../api.yaml', origin: 'flag' }],
  ['configPath: no default', 'configPath', { flags: {} }, { value: undefined, origin: undefined }],
  [
    'configPath: flag',
    'configPath',
    { flags: { configPath: '../mcp.yaml' } },
    { value: '../mcp.yaml', origin: 'flag' },
  ],
  ['explicitName: no default', 'explicitName', { flags: {} }, { value: undefined, origin: undefined }],
  ['explicitName: flag', 'explicitName', { flags: { explicitName: true } }, { value: true, origin: 'flag' }],
  [
    'explicitToolMode: no flag, no need to repeat it',
    'explicitToolMode',
    { flags: {}, config: { toolMode: 'dynamic' } },
    { value: undefined, origin: undefined },
  ],
  [
    'explicitToolMode: a flag the config agrees with need not be repeated',
    'explicitToolMode',
    { flags: { toolMode: 'dynamic' }, config: { toolMode: 'dynamic' } },
    { value: undefined, origin: undefined },
  ],
  [
    'explicitToolMode: a flag overriding the config must be repeated',
    'explicitToolMode',
    { flags: { toolMode: 'static' }, config: { toolMode: 'dynamic' } },
    { value: true, origin: 'config' },
  ],
  [
    'explicitToolMode: never set by a caller',
    'explicitToolMode',
    { flags: { explicitToolMode: true } as OptionFlags },
    { value: undefined, origin: undefined },
  ],
  ['configHash: none without a config', 'configHash', { flags: {} }, { value: undefined, origin: undefined }],
  [
    'configHash: from the config file',
    'configHash',
    { flags: {}, config: { toolMode: 'dynamic' } },
    { value: CONFIG_HASH, origin: 'config' },
  ],
];

describe('option precedence: flags > config file > defaults', () => {
  it.each(PRECEDENCE)('%s', (_name, option, given, want) => {
    const { options, origins } = resolve(given.flags, given.config);
    expect(options[option]).toEqual(want.value);
    expect(origins[option]).toBe(want.origin);
    expect(option in options).toBe(want.value !== undefined);
  });

  it('covers every option of ResolvedOptions', () => {
    const all = resolve(
      {
        specPath: 'a',
        configPath: 'b',
        explicitName: true,
        testedTools: 1,
        toolMode: 'static',
        specLabel: 'c',
        packageName: 'd',
      },
      { toolMode: 'dynamic' },
    ).options;
    expect(new Set(PRECEDENCE.map(([, option]) => option))).toEqual(new Set(Object.keys(all)));
  });

  it('returns frozen options and origins', () => {
    const { options, origins } = resolve({});
    expect(Object.isFrozen(options)).toBe(true);
    expect(Object.isFrozen(origins)).toBe(true);
  });

  it('the config hash is not settable by a caller', () => {
    const flags = { configHash: 'f'.repeat(64) } as OptionFlags;
    expect(resolve(flags).options.configHash).toBeUndefined();
  });
});

describe('the config hash is canonical', () => {
  it('is the SHA-256 of the canonical JSON the options hash uses: key order does not matter', () => {
    const a = resolve({}, { toolMode: 'dynamic', transport: { port: 8080, default: 'stdio' } }).options;
    const b = resolve({}, { transport: { default: 'stdio', port: 8080 }, toolMode: 'dynamic' }).options;
    expect(a.configHash).toBe(b.configHash);
    expect(a.configHash).toBe(
      createHash('sha256')
        .update(canonicalJson({ toolMode: 'dynamic', transport: { default: 'stdio', port: 8080 } }))
        .digest('hex'),
    );
    expect(optionsHash(a)).toBe(optionsHash(b));
  });

  it('changes with any value of the config', () => {
    const a = resolve({}, { transport: { port: 8080 } }).options;
    const b = resolve({}, { transport: { port: 8081 } }).options;
    expect(a.configHash).not.toBe(b.configHash);
  });
});

describe('the CLI and the library resolve alike', () => {
  const document = loaded({ paths: { '/pets': { get: operation({ operationId: 'listPets' }) } } });

  it('the command line gives only what the user said: nothing defaulted', () => {
    expect(generateFlags('specs/api.yaml', {}, '/work', '/work/out')).toEqual({
      specLabel: 'api.yaml',
      specPath: '../specs/api.yaml',
      toolMode: undefined,
      packageName: undefined,
      explicitName: undefined,
      configPath: undefined,
    });
  });

  it('--tool-mode static beats toolMode: dynamic in the config file, on the shared path', () => {
    const flags = generateFlags('api.yaml', { toolMode: 'static' }, '/work', '/work/out');
    const { options, origins } = planDocument(document, flags, { config: { toolMode: 'dynamic' } });
    expect(options.toolMode).toBe('static');
    expect(origins.toolMode).toBe('flag');
  });

  it("a library caller without a tool mode gets the config file's", () => {
    const { options, origins } = planDocument(document, { toolMode: undefined }, { config: { toolMode: 'dynamic' } });
    expect(options.toolMode).toBe('dynamic');
    expect(origins.toolMode).toBe('config');
  });

  it('--name sets the package name and says it was explicit', () => {
    const flags = generateFlags('api.yaml', { name: 'pets-mcp', config: 'cfg/mcp.yaml' }, '/work', '/work/out');
    const { options } = planDocument(document, flags);
    expect(options).toMatchObject({ packageName: 'pets-mcp', explicitName: true, configPath: '../cfg/mcp.yaml' });
  });

  it('defaults come from the document: its source and its server name', () => {
    const { options, origins } = planDocument(document);
    expect(options).toMatchObject({
      specLabel: 'literal',
      packageName: 'test-api-mcp',
      testedTools: 8,
      toolMode: 'static',
    });
    expect(origins).toMatchObject({ specLabel: 'default', packageName: 'default' });
  });
});
