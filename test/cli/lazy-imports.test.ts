import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { REPO, cliProcess, removeTempDirs, tempDir } from './cli-process.js';

const REFUSE_HEAVY = join(REPO, 'test/cli/fixtures/refuse-heavy-modules.mjs');
const withoutHeavyModules = { env: { NODE_OPTIONS: `--import=${REFUSE_HEAVY}` } };

/** Issue 8: `--version` and `--help` must not load prettier, swagger-parser, ajv, yaml or handlebars (570 ms before). */
describe('lazy imports', () => {
  test.concurrent.each(['--version', '--help', 'generate --help', 'inspect --help'])(
    '%s runs without importing the stages',
    async (command) => {
      const result = await cliProcess(command.split(' '), withoutHeavyModules);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    },
  );

  // A multi-file spec: the bundler (swagger-parser) is an ES import there. (A single-file one no longer imports any
  // heavy module as an ES module: validation requires swagger-parser lazily, which this hook does not see.)
  test.concurrent('the hook works: inspect of a multi-file spec needs the bundler and fails under it', async () => {
    const result = await cliProcess(
      ['inspect', join(REPO, 'fixtures/load/multi-file/openapi.yaml')],
      withoutHeavyModules,
    );
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/heavy module imported/);
  });
});

const RECORD_MODULES = join(REPO, 'test/cli/fixtures/record-main-thread-modules.mjs');

/** What generate needs on its main thread for an OpenAPI 3 JSON spec without a config file (issue 8). */
describe('generate loads on its main thread only what the input needs', () => {
  afterAll(removeTempDirs);

  test('a JSON spec, no config file: no YAML parser, ajv, template compiler, prettier or converter', async () => {
    const dir = tempDir('lazy-generate');
    const spec = join(dir, 'tiny.json');
    writeFileSync(
      spec,
      JSON.stringify({
        openapi: '3.0.3',
        info: { title: 'Tiny', version: '1.0.0' },
        servers: [{ url: 'https://api.example.com' }],
        paths: {
          '/pets': {
            get: { operationId: 'listPets', summary: 'List pets', responses: { '200': { description: 'OK' } } },
          },
        },
      }),
    );
    const result = await cliProcess(['generate', spec, '-o', join(dir, 'out')], {
      env: { NODE_OPTIONS: `--import=${RECORD_MODULES}` },
    });
    expect(result.status).toBe(0);
    const line = result.stderr.split('\n').find((l) => l.startsWith('MAIN-THREAD-MODULES '));
    const files = JSON.parse(line!.slice('MAIN-THREAD-MODULES '.length)) as string[];
    // The recorder works: what is needed is there (commander, the templates' runtime).
    expect(files.some((f) => f.includes('/node_modules/commander/'))).toBe(true);
    expect(files.some((f) => f.includes('/node_modules/handlebars/dist/cjs/handlebars.runtime.js'))).toBe(true);
    const heavy =
      /\/node_modules\/(?:(?:yaml|js-yaml|ajv|@apidevtools|swagger2openapi|source-map|prettier\/plugins|handlebars\/lib|handlebars\/dist\/cjs\/handlebars\/compiler)\/|prettier\/index\.|handlebars\/dist\/cjs\/handlebars\.js)/;
    expect(files.filter((f) => heavy.test(f))).toEqual([]);
  });
});
